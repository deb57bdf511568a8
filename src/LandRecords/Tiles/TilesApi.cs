using HcmCity.Web.Input;
using HcmCity.LandRecords.Parcels;
using HcmCity.Web.GeoJson;
using HcmCity.Gis.Parcels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcmCity.LandRecords.Tiles;

/// <summary>Parcel vector tiles for the web map (MapLibre), XYZ scheme in Web Mercator.</summary>
public static class TilesApi
{
    public const string MediaType = "application/vnd.mapbox-vector-tile";

    /// <summary>Deepest zoom served; beyond it a tile is a few metres wide and the map overzooms z22.</summary>
    public const int MaxZoom = 22;

    /// <summary>
    /// Cache lifetime, in the browser and in <see cref="ParcelTileCache"/>: short, because an import or a permit
    /// decision can change a parcel and the map must show it within a minute; the ETag makes revalidation cheap.
    /// </summary>
    public const int MaxAgeSeconds = 30;

    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // One cache per application, so that two hosts in one process (tests) never share tiles.
        var cache = new ParcelTileCache();
        app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(cache.Dispose);
        app.MapGroup("/tiles").WithTags("Tiles")
            .MapGet(
                "/parcels/{z}/{x}/{y}.mvt",
                (string z, string x, string y, IParcelStore store, HttpResponse response, CancellationToken cancellationToken) =>
                    GetParcelTileAsync(z, x, y, store, cache, response, cancellationToken))
            .WithName("GetParcelTile")
            .WithSummary("Ô bản đồ vector thửa đất (MVT) / Parcel vector tile (Mapbox Vector Tile), layer \"parcels\"")
            .Produces(StatusCodes.Status200OK, contentType: MediaType)
            .Produces(StatusCodes.Status304NotModified);
        return app;
    }

    /// <summary>
    /// The tile, with an empty 200 body where no parcel is visible (MapLibre draws nothing for it, while a 204 or
    /// 404 would be logged as a failed tile). If-None-Match with the current ETag gives 304.
    /// </summary>
    public static async Task<FileContentHttpResult> GetParcelTileAsync(
        string z, string x, string y, IParcelStore store, ParcelTileCache cache, HttpResponse response,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(response);
        var zoom = ParcelInput.Int(z, "z", -1, 0, MaxZoom);
        var count = 1 << zoom;
        var column = ParcelInput.Int(x, "x", -1, 0, count - 1);
        var row = ParcelInput.Int(y, "y", -1, 0, count - 1);
        var tile = await cache.GetAsync(store, zoom, column, row, cancellationToken);
        response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        return TypedResults.Bytes(tile.Bytes, MediaType, entityTag: tile.ETag);
    }
}
