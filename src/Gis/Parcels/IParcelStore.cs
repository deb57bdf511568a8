using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Parcels;

/// <summary>
/// The land record store. PostGIS in production (HcmCity.LandRecords), an STRtree in memory in embedded mode;
/// one contract test suite runs against both.
/// </summary>
public interface IParcelStore
{
    Task<Parcel?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Parcels containing the WGS 84 point (usually one; more where records overlap).</summary>
    Task<IReadOnlyList<Parcel>> AtAsync(double lon, double lat, CancellationToken cancellationToken = default);

    /// <summary>Filter by key parts and/or a WGS 84 bbox, ordered by id, paged.</summary>
    Task<ParcelPage> SearchAsync(ParcelQuery query, CancellationToken cancellationToken = default);

    /// <summary>Insert or update by <see cref="ParcelKey"/>; ids of existing keys are kept.</summary>
    Task<UpsertResult> UpsertAsync(IReadOnlyCollection<Parcel> parcels, CancellationToken cancellationToken = default);

    /// <summary>Mapbox Vector Tile (layer "parcels") for tile z/x/y in Web Mercator; empty array when no parcel.</summary>
    Task<byte[]> GetTileAsync(int z, int x, int y, CancellationToken cancellationToken = default);

    Task<long> CountAsync(CancellationToken cancellationToken = default);
}

/// <param name="Bbox">WGS 84 envelope (minLon, minLat, maxLon, maxLat), or null for no spatial filter.</param>
public sealed record ParcelQuery(
    Envelope? Bbox = null,
    string? Unit = null,
    string? Sheet = null,
    string? Number = null,
    int Limit = 100,
    long Offset = 0);

public sealed record ParcelPage(IReadOnlyList<Parcel> Items, long NumberMatched);

public sealed record UpsertResult(int Inserted, int Updated);
