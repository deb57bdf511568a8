using System.Security.Cryptography;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace HcmCity.LandRecords.Tiles;

/// <summary>
/// Recently served parcel tiles with their ETags, per API host. A map view asks every visitor for the same few
/// dozen tiles, and cutting one costs milliseconds of CPU (tens at z14), so each is cut once per
/// <see cref="TilesApi.MaxAgeSeconds"/>: a changed parcel then reaches the map within two such periods (this
/// cache, then the browser's), the same bound the Cache-Control header already sets.
/// </summary>
public sealed class ParcelTileCache : IDisposable
{
    /// <summary>Upper bound of cached tile bytes; a z16 tile of the dense centre is about 100 KB.</summary>
    public const long SizeLimitBytes = 64L * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = SizeLimitBytes });

    public async Task<CachedTile> GetAsync(IParcelStore store, int z, int x, int y, CancellationToken cancellationToken)
    {
        var key = (store, z, x, y);
        if (_cache.TryGetValue(key, out CachedTile? cached) && cached is not null)
        {
            return cached;
        }

        var bytes = await store.GetTileAsync(z, x, y, cancellationToken);
        var tile = new CachedTile(bytes, ETag(bytes));
        _cache.Set(key, tile, new MemoryCacheEntryOptions
        {
            Size = Math.Max(bytes.Length, 1),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(TilesApi.MaxAgeSeconds),
        });
        return tile;
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>A strong validator from the tile bytes: equal bytes, equal tag, whichever store or host made them.</summary>
    private static EntityTagHeaderValue ETag(byte[] tile)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(tile, hash);
        return new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash[..16])}\"");
    }
}

public sealed record CachedTile(byte[] Bytes, EntityTagHeaderValue ETag);
