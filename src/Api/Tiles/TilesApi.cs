using System.Security.Cryptography;
using HcmCity.Api.Parcels;
using HcmCity.Gis.Parcels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace HcmCity.Api.Tiles;

/// <summary>Parcel vector tiles for the web map (MapLibre), XYZ scheme in Web Mercator.</summary>
public static class TilesApi
{
    public const string MediaType = "application/vnd.mapbox-vector-tile";

    /// <summary>Deepest zoom served; beyond it a tile is a few metres wide and the map overzooms z22.</summary>
    public const int MaxZoom = 22;

    /// <summary>
    /// Browser cache lifetime: short, because an import or a permit decision can change a parcel and the map
    /// must show it within a minute; the ETag makes the revalidation after that cheap.
    /// </summary>
    public const int MaxAgeSeconds = 60;

    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/tiles").WithTags("Tiles")
            .MapGet("/parcels/{z}/{x}/{y}.mvt", GetParcelTileAsync)
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
        string z, string x, string y, IParcelStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var zoom = ParcelInput.Int(z, "z", -1, 0, MaxZoom);
        var count = 1 << zoom;
        var column = ParcelInput.Int(x, "x", -1, 0, count - 1);
        var row = ParcelInput.Int(y, "y", -1, 0, count - 1);
        var tile = await store.GetTileAsync(zoom, column, row, cancellationToken);
        response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        return TypedResults.Bytes(tile, MediaType, entityTag: ETag(tile));
    }

    /// <summary>A strong validator from the tile bytes: equal bytes, equal tag, whichever store or host made them.</summary>
    private static EntityTagHeaderValue ETag(byte[] tile)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(tile, hash);
        return new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash[..16])}\"");
    }
}
