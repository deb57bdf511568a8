using HcmCity.Web.Input;
using System.Globalization;
using System.Text.Json;
using HcmCity.LandRecords;
using HcmCity.Web.GeoJson;
using HcmCity.Web.Problems;
using HcmCity.Gis.Parcels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace HcmCity.LandRecords.Ogc;

/// <summary>
/// OGC API - Features Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS by reference) over the land records,
/// so that GIS software (QGIS, GDAL/OGR, ArcGIS) reads the parcels without a custom client.
/// </summary>
public static class OgcApi
{
    public const string CollectionId = "parcels";

    /// <summary>Part 1 Req. /rec/core/fc-limit-default: 10 unless asked for more.</summary>
    public const int DefaultLimit = 10;

    /// <summary>Larger limits are served as this maximum, as Part 1 §7.15.4 permits, rather than refused.</summary>
    public const int MaxLimit = 1000;

    /// <summary>
    /// The deepest page start served. PostgreSQL reads and drops every row before an offset, so a deep one costs as
    /// much as the rows it skips (offset 2,000,000 of the city: seconds per request); deeper than this, a client
    /// narrows its bbox. Next links never point beyond it.
    /// </summary>
    public const int MaxOffset = 10_000;

    private const string OpenApiMediaType = "application/vnd.oai.openapi+json;version=3.0";

    public static IReadOnlyList<string> ConformsTo { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    ];

    public static IEndpointRouteBuilder MapOgcApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ogc").WithTags("OGC API - Features");
        group.MapGet("", Landing)
            .WithName("OgcLandingPage")
            .WithSummary("Trang đầu OGC API - Features / OGC API - Features landing page");
        group.MapGet("/conformance", Conformance)
            .WithName("OgcConformance")
            .WithSummary("Các lớp tuân thủ / Conformance classes");
        group.MapGet("/collections", CollectionsAsync)
            .WithName("OgcCollections")
            .WithSummary("Danh sách tập dữ liệu / Feature collections");
        group.MapGet("/collections/{collectionId}", CollectionAsync)
            .WithName("OgcCollection")
            .WithSummary("Mô tả tập thửa đất / The parcels collection");
        group.MapGet("/collections/{collectionId}/items", ItemsAsync)
            .WithName("OgcItems")
            .WithSummary("Thửa đất theo trang, lọc theo vùng / Parcels, paged, with bbox and crs");
        group.MapGet("/collections/{collectionId}/items/{featureId}", ItemAsync)
            .WithName("OgcItem")
            .WithSummary("Một thửa đất / One parcel");
        return app;
    }

    public static GeoJsonResult Landing(string? f, HttpRequest request)
    {
        CheckFormat(f);
        return GeoJsonResult.Json(stream =>
        {
            var writer = stream.Writer;
            writer.WriteStartObject();
            writer.WriteString("title", "HcmCity – Hồ sơ địa chính TP. Hồ Chí Minh / Ho Chi Minh City land records");
            writer.WriteString("description", "Thửa đất (không có dữ liệu cá nhân) theo OGC API - Features / Cadastral parcels (no personal data) as OGC API - Features.");
            JsonLinks.Write(writer,
            [
                new(JsonLinks.Absolute(request, "/ogc"), "self", GeoJsonResult.JsonMediaType, "Trang này / this document"),
                new(JsonLinks.Absolute(request, "/openapi/v1.json"), "service-desc", OpenApiMediaType, "OpenAPI definition"),
                new(JsonLinks.Absolute(request, "/api/docs"), "service-doc", "text/html", "API documentation"),
                new(JsonLinks.Absolute(request, "/ogc/conformance"), "conformance", GeoJsonResult.JsonMediaType, "Conformance classes"),
                new(JsonLinks.Absolute(request, "/ogc/collections"), "data", GeoJsonResult.JsonMediaType, "Feature collections"),
            ]);
            writer.WriteEndObject();
            return ValueTask.CompletedTask;
        });
    }

    public static GeoJsonResult Conformance(string? f)
    {
        CheckFormat(f);
        return GeoJsonResult.Json(stream =>
        {
            var writer = stream.Writer;
            writer.WriteStartObject();
            writer.WriteStartArray("conformsTo");
            foreach (var uri in ConformsTo)
            {
                writer.WriteStringValue(uri);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<GeoJsonResult> CollectionsAsync(
        string? f, HttpRequest request, WardBoundaries wards, [FromServices] NpgsqlDataSource? dataSource, CancellationToken cancellationToken)
    {
        CheckFormat(f);
        var extent = await MapExtent.OfParcelsAsync(wards, dataSource, cancellationToken);
        return GeoJsonResult.Json(stream =>
        {
            var writer = stream.Writer;
            writer.WriteStartObject();
            JsonLinks.Write(writer, [new(JsonLinks.Absolute(request, "/ogc/collections"), "self", GeoJsonResult.JsonMediaType)]);
            writer.WriteStartArray("collections");
            WriteCollection(writer, request, extent);
            writer.WriteEndArray();
            writer.WriteStartArray("crs");
            foreach (var crs in OgcCrs.Supported)
            {
                writer.WriteStringValue(crs);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<Results<GeoJsonResult, ProblemHttpResult>> CollectionAsync(
        string collectionId, string? f, HttpRequest request, WardBoundaries wards, [FromServices] NpgsqlDataSource? dataSource,
        CancellationToken cancellationToken)
    {
        CheckFormat(f);
        if (collectionId != CollectionId)
        {
            return NoSuchCollection(collectionId);
        }

        var extent = await MapExtent.OfParcelsAsync(wards, dataSource, cancellationToken);
        return GeoJsonResult.Json(stream =>
        {
            WriteCollection(stream.Writer, request, extent);
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<Results<GeoJsonResult, ProblemHttpResult>> ItemsAsync(
        string collectionId, [AsParameters] OgcItemsParameters parameters, IParcelStore store, HttpRequest request,
        CancellationToken cancellationToken)
    {
        CheckFormat(parameters.F);
        if (collectionId != CollectionId)
        {
            return NoSuchCollection(collectionId);
        }

        var crs = OgcCrs.Parse(parameters.Crs, "crs");
        var bboxCrs = OgcCrs.Parse(parameters.BboxCrs, "bbox-crs");
        if (parameters.BboxCrs is not null && parameters.Bbox is null)
        {
            throw BadInputException.For("bbox-crs", "bbox-crs chỉ dùng với bbox / bbox-crs is only meaningful with bbox.");
        }

        var bbox = parameters.Bbox is null
            ? null
            : OgcCrs.BboxToLonLat(ParcelInput.BboxNumbers(parameters.Bbox, "bbox", allowHeights: true), bboxCrs, "bbox");
        var limit = Math.Min(ParcelInput.Int(parameters.Limit, "limit", DefaultLimit, 1, int.MaxValue), MaxLimit);
        var offset = ParcelInput.Offset(parameters.Offset);
        if (offset > MaxOffset)
        {
            throw BadInputException.For("offset", string.Create(CultureInfo.InvariantCulture,
                $"Tối đa {MaxOffset}; thu hẹp bbox để xem tiếp / at most {MaxOffset}: narrow the bbox to reach the parcels beyond."));
        }
        var page = await store.SearchAsync(new ParcelQuery(Bbox: bbox, Limit: limit, Offset: offset), cancellationToken);
        var links = JsonLinks.Page(request, GeoJsonResult.GeoJsonMediaType, offset, limit, page.Items.Count, page.NumberMatched, MaxOffset);
        links.Add(new(JsonLinks.Absolute(request, $"/ogc/collections/{CollectionId}"), "collection", GeoJsonResult.JsonMediaType, "Tập thửa đất / the collection"));
        var timeStamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return GeoJsonResult.GeoJson(
            stream => ParcelGeoJson.WriteCollectionAsync(stream, page.Items, crs, writer =>
            {
                writer.WriteString("timeStamp", timeStamp);
                writer.WriteNumber("numberMatched", page.NumberMatched);
                writer.WriteNumber("numberReturned", page.Items.Count);
                JsonLinks.Write(writer, links);
            }),
            crs.OgcUri);
    }

    public static async Task<Results<GeoJsonResult, ProblemHttpResult>> ItemAsync(
        string collectionId, string featureId, string? f, string? crs, IParcelStore store, HttpRequest request,
        CancellationToken cancellationToken)
    {
        CheckFormat(f);
        if (collectionId != CollectionId)
        {
            return NoSuchCollection(collectionId);
        }

        var output = OgcCrs.Parse(crs, "crs");
        var parcel = long.TryParse(featureId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? await store.GetAsync(id, cancellationToken)
            : null;
        if (parcel is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Không tìm thấy thửa đất / Feature not found",
                detail: "No parcel has this feature id.");
        }

        return GeoJsonResult.GeoJson(
            stream =>
            {
                ParcelGeoJson.WriteFeature(stream.Writer, parcel, output);
                return ValueTask.CompletedTask;
            },
            output.OgcUri);
    }

    private static void WriteCollection(Utf8JsonWriter writer, HttpRequest request, NetTopologySuite.Geometries.Envelope extent)
    {
        var self = $"/ogc/collections/{CollectionId}";
        writer.WriteStartObject();
        writer.WriteString("id", CollectionId);
        writer.WriteString("title", "Thửa đất / Cadastral parcels");
        writer.WriteString("description", "Thửa đất: số tờ, số thửa, loại đất, diện tích (Thông tư 08/2024/TT-BTNMT) / Parcels with sheet, number, land use and area.");
        writer.WriteString("itemType", "feature");
        JsonLinks.Write(writer,
        [
            new(JsonLinks.Absolute(request, self), "self", GeoJsonResult.JsonMediaType, "Tập thửa đất / the collection"),
            new(JsonLinks.Absolute(request, self + "/items"), "items", GeoJsonResult.GeoJsonMediaType, "Thửa đất / the parcels"),
        ]);
        writer.WriteStartObject("extent");
        writer.WriteStartObject("spatial");
        writer.WriteStartArray("bbox");
        writer.WriteStartArray();
        writer.WriteNumberValue(Math.Round(extent.MinX, 6));
        writer.WriteNumberValue(Math.Round(extent.MinY, 6));
        writer.WriteNumberValue(Math.Round(extent.MaxX, 6));
        writer.WriteNumberValue(Math.Round(extent.MaxY, 6));
        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.WriteString("crs", OgcCrs.Crs84Uri);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("crs");
        foreach (var crs in OgcCrs.Supported)
        {
            writer.WriteStringValue(crs);
        }

        writer.WriteEndArray();
        // Both stores index the WGS 84 geometry; the VN-2000 survey geometry is kept beside it.
        writer.WriteString("storageCrs", OgcCrs.Crs84Uri);
        writer.WriteEndObject();
    }

    /// <summary>JSON is the one encoding offered; f=json (or geojson for features) may name it.</summary>
    private static void CheckFormat(string? f)
    {
        if (f is not null && !f.Equals("json", StringComparison.OrdinalIgnoreCase) && !f.Equals("geojson", StringComparison.OrdinalIgnoreCase))
        {
            throw BadInputException.For("f", "Chỉ hỗ trợ f=json / only f=json is offered.");
        }
    }

    private static ProblemHttpResult NoSuchCollection(string collectionId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Không có tập dữ liệu này / No such collection",
            detail: $"Collections offered: {CollectionId}.");
}

/// <summary>Query of the items request (OGC API - Features Part 1 §7.15, Part 2 §6).</summary>
public sealed class OgcItemsParameters
{
    [FromQuery(Name = "bbox")]
    public string? Bbox { get; init; }

    [FromQuery(Name = "bbox-crs")]
    public string? BboxCrs { get; init; }

    [FromQuery(Name = "crs")]
    public string? Crs { get; init; }

    [FromQuery(Name = "limit")]
    public string? Limit { get; init; }

    [FromQuery(Name = "offset")]
    public string? Offset { get; init; }

    [FromQuery(Name = "f")]
    public string? F { get; init; }
}
