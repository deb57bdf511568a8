using HcmCity.Gis.Tiles;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Parcels;

/// <summary>
/// The land record store of the embedded mode: everything in memory, safe for concurrent callers.
/// Ids are 1, 2, 3… in insertion order, so a parcel's id is its position in the list plus one.
/// Spatial queries use an STRtree over WGS 84 envelopes, rebuilt on the first spatial read after a write
/// (bulk loads write first and read later, so one rebuild serves them).
/// </summary>
public sealed class InMemoryParcelStore(ParcelTileOptions? tileOptions = null) : IParcelStore
{
    private static readonly GeometryFactory EnvelopeFactory = new();

    private readonly ParcelTileOptions _tileOptions = tileOptions ?? ParcelTileOptions.Default;
    private readonly Lock _gate = new();
    private readonly List<Parcel> _parcels = [];
    private readonly Dictionary<ParcelKey, long> _ids = [];
    private readonly Dictionary<string, List<long>> _idsByUnit = new(StringComparer.Ordinal);
    private SpatialIndex? _index;

    public Task<Parcel?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(id >= 1 && id <= _parcels.Count ? _parcels[(int)(id - 1)] : null);
        }
    }

    public Task<IReadOnlyList<Parcel>> AtAsync(double lon, double lat, CancellationToken cancellationToken = default)
    {
        var index = Index();
        var point = new Coordinate(lon, lat);
        var found = new List<Parcel>();
        foreach (var position in index.Tree.Query(new Envelope(point)))
        {
            var parcel = index.Parcels[position];
            if (SimplePointInAreaLocator.Locate(point, parcel.Geometry) != Location.Exterior)
            {
                found.Add(parcel);
            }
        }

        found.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return Task.FromResult<IReadOnlyList<Parcel>>(found);
    }

    public Task<ParcelPage> SearchAsync(ParcelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);

        var matches = query.Bbox is { } bbox ? InBbox(bbox, query) : ByKeyParts(query, cancellationToken);
        var items = new List<Parcel>();
        for (var i = query.Offset; i < matches.Count && items.Count < query.Limit; i++)
        {
            items.Add(matches[(int)i]);
        }

        return Task.FromResult(new ParcelPage(items, matches.Count));
    }

    public Task<UpsertResult> UpsertAsync(IReadOnlyCollection<Parcel> parcels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        int inserted = 0, updated = 0;
        lock (_gate)
        {
            foreach (var parcel in parcels)
            {
                if (_ids.TryGetValue(parcel.Key, out var id))
                {
                    _parcels[(int)(id - 1)] = parcel with { Id = id };
                    updated++;
                }
                else
                {
                    id = _parcels.Count + 1;
                    _parcels.Add(parcel with { Id = id });
                    _ids.Add(parcel.Key, id);
                    if (!_idsByUnit.TryGetValue(parcel.Key.Unit, out var unitIds))
                    {
                        _idsByUnit[parcel.Key.Unit] = unitIds = [];
                    }

                    unitIds.Add(id);
                    inserted++;
                }
            }

            if (inserted + updated > 0)
            {
                _index = null;
            }
        }

        return Task.FromResult(new UpsertResult(inserted, updated));
    }

    public Task<byte[]> GetTileAsync(int z, int x, int y, CancellationToken cancellationToken = default)
    {
        TileMath.Validate(z, x, y);
        if (z < _tileOptions.MinZoom)
        {
            return Task.FromResult(Array.Empty<byte>());
        }

        var index = Index();
        var positions = index.Tree.Query(VectorTileBuilder.QueryEnvelope(z, x, y, _tileOptions.Tile));
        var parcels = new Parcel[positions.Count];
        for (var i = 0; i < parcels.Length; i++)
        {
            parcels[i] = index.Parcels[positions[i]];
        }

        // Id order makes the tile bytes independent of the tree's internal order.
        Array.Sort(parcels, static (a, b) => a.Id.CompareTo(b.Id));
        return Task.FromResult(ParcelTiles.Build(z, x, y, parcels, _tileOptions));
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_parcels.Count);
        }
    }

    private List<Parcel> InBbox(Envelope bbox, ParcelQuery query)
    {
        var index = Index();
        var box = EnvelopeFactory.ToGeometry(bbox);
        var prepared = PreparedGeometryFactory.Prepare(box);
        var matches = new List<Parcel>();
        foreach (var position in index.Tree.Query(bbox))
        {
            var parcel = index.Parcels[position];
            if (MatchesKey(parcel.Key, query) && prepared.Intersects(parcel.Geometry))
            {
                matches.Add(parcel);
            }
        }

        matches.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return matches;
    }

    private List<Parcel> ByKeyParts(ParcelQuery query, CancellationToken cancellationToken)
    {
        var matches = new List<Parcel>();
        lock (_gate)
        {
            if (query.Unit is not null)
            {
                if (_idsByUnit.TryGetValue(query.Unit, out var unitIds))
                {
                    foreach (var id in unitIds)
                    {
                        var parcel = _parcels[(int)(id - 1)];
                        if (MatchesKey(parcel.Key, query))
                        {
                            matches.Add(parcel);
                        }
                    }
                }

                return matches;
            }

            for (var i = 0; i < _parcels.Count; i++)
            {
                if ((i & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (MatchesKey(_parcels[i].Key, query))
                {
                    matches.Add(_parcels[i]);
                }
            }
        }

        return matches;
    }

    private static bool MatchesKey(ParcelKey key, ParcelQuery query) =>
        (query.Unit is null || key.Unit == query.Unit)
        && (query.Sheet is null || key.Sheet == query.Sheet)
        && (query.Number is null || key.Number == query.Number);

    private SpatialIndex Index()
    {
        lock (_gate)
        {
            if (_index is null)
            {
                var parcels = _parcels.ToArray();
                var tree = new STRtree<int>();
                for (var i = 0; i < parcels.Length; i++)
                {
                    tree.Insert(parcels[i].Geometry.EnvelopeInternal, i);
                }

                tree.Build();
                _index = new SpatialIndex(parcels, tree);
            }

            return _index;
        }
    }

    /// <summary>An immutable snapshot: queried outside the lock while writers carry on.</summary>
    private sealed record SpatialIndex(Parcel[] Parcels, STRtree<int> Tree);
}
