using HcmCity.Web.Input;
using HcmCity.Web.GeoJson;
using HcmCity.Web.Problems;
using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HcmCity.LandRecords.Parcels;

/// <summary>
/// Land records (hồ sơ địa chính) for developers: one parcel by id, search by key or bbox, parcels at a point.
/// Output is RFC 7946 GeoJSON in WGS 84 unless a <c>crs</c> is asked for; never personal data.
/// </summary>
public static class ParcelsApi
{
    /// <summary>
    /// Largest bbox side, in degrees (about 27 km in HCMC): enough for any district view; a city-wide read pages
    /// through /ogc instead of asking one request for a million parcels.
    /// </summary>
    public const double MaxBboxDegrees = 0.25;

    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapParcelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/parcels").WithTags("Parcels");
        group.MapGet("", SearchAsync)
            .WithName("SearchParcels")
            .WithSummary("Tìm thửa đất theo số tờ, số thửa hoặc vùng / Search parcels by unit, sheet, number or bbox");
        group.MapGet("/at", AtAsync)
            .WithName("ParcelsAtPoint")
            .WithSummary("Thửa đất tại một điểm / Parcels containing a point (lon/lat, or x/y with crs)");
        group.MapGet("/{id}", GetAsync)
            .WithName("GetParcel")
            .WithSummary("Một thửa đất theo mã / One parcel by id, optionally in another CRS");
        return app;
    }

    public static async Task<Results<GeoJsonResult, ProblemHttpResult>> GetAsync(
        string id, string? crs, IParcelStore store, CancellationToken cancellationToken)
    {
        var parcelId = ParcelInput.Id(id);
        var output = new OutputCrs(ParcelInput.Srid(crs) ?? Srid.Wgs84);
        var parcel = await store.GetAsync(parcelId, cancellationToken);
        if (parcel is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Không tìm thấy thửa đất / Parcel not found",
                detail: $"No parcel has id {parcelId}.");
        }

        return GeoJsonResult.GeoJson(
            stream =>
            {
                ParcelGeoJson.WriteFeature(stream.Writer, parcel, output);
                return ValueTask.CompletedTask;
            },
            crs is null ? null : output.OgcUri);
    }

    public static async Task<GeoJsonResult> SearchAsync(
        [AsParameters] ParcelSearchParameters parameters, IParcelStore store, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = new ParcelQuery(
            Bbox: parameters.Bbox is null ? null : ParcelInput.LonLatBbox(parameters.Bbox, "bbox", MaxBboxDegrees),
            Unit: ParcelInput.KeyPart(parameters.Unit, "unit"),
            Sheet: ParcelInput.KeyPart(parameters.Sheet, "sheet"),
            Number: ParcelInput.KeyPart(parameters.Number, "number"),
            Limit: ParcelInput.Int(parameters.Limit, "limit", DefaultLimit, 1, MaxLimit),
            Offset: ParcelInput.Offset(parameters.Offset));
        var output = new OutputCrs(ParcelInput.Srid(parameters.Crs) ?? Srid.Wgs84);
        var page = await store.SearchAsync(query, cancellationToken);
        var links = JsonLinks.Page(request, GeoJsonResult.GeoJsonMediaType, query.Offset, query.Limit, page.Items.Count, page.NumberMatched);
        return GeoJsonResult.GeoJson(
            stream => ParcelGeoJson.WriteCollectionAsync(stream, page.Items, output, writer =>
            {
                writer.WriteNumber("numberMatched", page.NumberMatched);
                writer.WriteNumber("numberReturned", page.Items.Count);
                JsonLinks.Write(writer, links);
            }),
            parameters.Crs is null ? null : output.OgcUri);
    }

    public static async Task<GeoJsonResult> AtAsync(
        string? lon, string? lat, string? x, string? y, string? crs, IParcelStore store, CancellationToken cancellationToken)
    {
        var (pointLon, pointLat) = PointInWgs84(lon, lat, x, y, crs);
        var parcels = await store.AtAsync(pointLon, pointLat, cancellationToken);
        return GeoJsonResult.GeoJson(stream => ParcelGeoJson.WriteCollectionAsync(stream, parcels, OutputCrs.Crs84, writer =>
        {
            writer.WriteNumber("numberMatched", parcels.Count);
            writer.WriteNumber("numberReturned", parcels.Count);
        }));
    }

    /// <summary>lon/lat as given, or x/y in <paramref name="crs"/> (e.g. a VN-2000 TM-3 survey point) transformed to WGS 84.</summary>
    private static (double Lon, double Lat) PointInWgs84(string? lon, string? lat, string? x, string? y, string? crs)
    {
        if (x is null && y is null)
        {
            var pointLon = ParcelInput.Number(lon, "lon") ?? throw BadInputException.For("lon", "Cần lon và lat, hoặc x, y và crs / lon and lat, or x, y and crs, are required.");
            var pointLat = ParcelInput.Number(lat, "lat") ?? throw BadInputException.For("lat", "Cần lat / lat is required.");
            if (crs is not null && ParcelInput.Srid(crs) is not Srid.Wgs84)
            {
                throw BadInputException.For("crs", "lon/lat là WGS 84; dùng x, y cho hệ khác / lon/lat are WGS 84; use x and y with another crs.");
            }

            return ParcelInput.LonLat(pointLon, pointLat, "lon", "lat");
        }

        var pointX = ParcelInput.Number(x, "x") ?? throw BadInputException.For("x", "Cần x / x is required with y.");
        var pointY = ParcelInput.Number(y, "y") ?? throw BadInputException.For("y", "Cần y / y is required with x.");
        var srid = ParcelInput.Srid(crs) ?? throw BadInputException.For("crs", "Cần crs cho x, y, ví dụ EPSG:9210 / crs is required with x and y, e.g. EPSG:9210.");
        var extent = CrsRegistry.PlausibleExtent(srid);
        if (!extent.Contains(pointX, pointY))
        {
            throw BadInputException.For(
                extent.MinX <= pointX && pointX <= extent.MaxX ? "y" : "x",
                $"Điểm nằm ngoài Việt Nam trong {CrsRegistry.Name(srid)} / the point is outside Vietnam in {CrsRegistry.Name(srid)}.");
        }

        var (wgsLon, wgsLat) = CrsTransforms.Transform(pointX, pointY, srid, Srid.Wgs84);
        return ParcelInput.LonLat(wgsLon, wgsLat, "x", "y");
    }
}

/// <summary>Query of <c>GET /api/parcels</c>, read as text and checked by <see cref="ParcelInput"/>.</summary>
public sealed class ParcelSearchParameters
{
    /// <summary>Administrative unit code (mã đơn vị hành chính), e.g. "26734".</summary>
    [FromQuery(Name = "unit")]
    public string? Unit { get; init; }

    /// <summary>Map sheet number (số tờ bản đồ).</summary>
    [FromQuery(Name = "sheet")]
    public string? Sheet { get; init; }

    /// <summary>Parcel number (số thửa).</summary>
    [FromQuery(Name = "number")]
    public string? Number { get; init; }

    /// <summary>minLon,minLat,maxLon,maxLat in WGS 84, at most <see cref="ParcelsApi.MaxBboxDegrees"/>° a side.</summary>
    [FromQuery(Name = "bbox")]
    public string? Bbox { get; init; }

    /// <summary>1..1000, default 100.</summary>
    [FromQuery(Name = "limit")]
    public string? Limit { get; init; }

    [FromQuery(Name = "offset")]
    public string? Offset { get; init; }

    /// <summary>Output CRS, e.g. EPSG:9210; WGS 84 by default.</summary>
    [FromQuery(Name = "crs")]
    public string? Crs { get; init; }
}
