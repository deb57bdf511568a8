using System.Globalization;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using HcmCity.Gis.Tiles;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace HcmCity.LandRecords.Parcels;

/// <summary>
/// The land record store over PostgreSQL/PostGIS (schema in Migrations/0002_parcels.sql). The data source must
/// map geometry to NetTopologySuite (<see cref="PostGisDataSource.Create"/>).
/// The restricted <c>personal</c> column is read only by <see cref="GetPersonalAsync"/>.
/// </summary>
public sealed class PostGisParcelStore(NpgsqlDataSource dataSource, PostGisParcelStoreOptions? options = null)
    : IParcelStore
{
    /// <summary>Public columns, in the order <see cref="ReadParcel"/> reads them; never <c>personal</c>.</summary>
    private const string PublicColumns =
        "id, unit, sheet, number, land_use, registered_area, area, source_srid, source_geom, geom";

    private readonly PostGisParcelStoreOptions _options = options ?? new PostGisParcelStoreOptions();

    public async Task<Parcel?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {PublicColumns} FROM parcels WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadParcel(reader) : null;
    }

    public async Task<IReadOnlyList<Parcel>> AtAsync(double lon, double lat, CancellationToken cancellationToken = default)
    {
        // ST_Intersects adds the && test that uses the GiST index (PostGIS 3 support function), then tests the
        // polygon itself: a point on the boundary is in, a point in a hole is not. The point is a scalar subquery,
        // which the planner cannot fold into a constant: given a constant, PostgreSQL plans each call anew to
        // estimate its selectivity from the geometry statistics, which cost more than the lookup itself (a third
        // of PostgreSQL's CPU per request on 2.5 M parcels). So it keeps one generic plan: the same GiST index scan.
        await using var command = dataSource.CreateCommand($"""
            SELECT {PublicColumns} FROM parcels
            WHERE ST_Intersects(geom, (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)))
            ORDER BY id
            """);
        command.Parameters.Add(new() { Value = lon });
        command.Parameters.Add(new() { Value = lat });
        return await ReadParcelsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Matches parcels whose geometry intersects the bbox and whose key parts equal the given ones.
    /// <see cref="ParcelPage.NumberMatched"/> is exact up to <see cref="PostGisParcelStoreOptions.SearchCountCap"/>
    /// matches and the planner's estimate (at least the cap) beyond it.
    /// </summary>
    public async Task<ParcelPage> SearchAsync(ParcelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);

        var (where, parameters) = SearchFilter(query);
        var cap = _options.SearchCountCap;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Most searches (a street block's bbox, a sheet) match at most the cap: collect the matches with the
        // filter's own index (GiST for a bbox), then sort and page them. Ordering the table by id and filtering
        // as it goes, which the planner prefers for a LIMIT, read ~19,000 rows for a 550 m bbox (9 ms) and up to
        // a quarter of a second for others. One round trip also gives the exact count.
        if (where.Length > 0)
        {
            await using var small = new NpgsqlCommand($"""
            WITH hits AS MATERIALIZED (SELECT id FROM parcels {where} LIMIT {cap + 1L})
            SELECT {PublicColumns}, (SELECT count(*) FROM hits) FROM parcels
            WHERE id IN (SELECT id FROM hits ORDER BY id LIMIT {query.Limit} OFFSET {query.Offset})
            ORDER BY id
            """, connection);
            small.Parameters.AddRange(parameters());
            var page = new List<Parcel>();
            long matched = 0;
            await using (var reader = await small.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(ReadParcel(reader));
                    matched = reader.GetInt64(10);
                }
            }

            if (page.Count > 0 && matched <= cap)
            {
                return new ParcelPage(page, matched);
            }
        }

        List<Parcel> items;
        await using (var page = new NpgsqlCommand(
            $"SELECT {PublicColumns} FROM parcels {where} ORDER BY id LIMIT {query.Limit} OFFSET {query.Offset}",
            connection))
        {
            page.Parameters.AddRange(parameters());
            items = await ReadParcelsAsync(page, cancellationToken);
        }

        // A page that is not full, and did not start past the end, tells the exact count without counting.
        if (items.Count < query.Limit && (items.Count > 0 || query.Offset == 0))
        {
            return new ParcelPage(items, query.Offset + items.Count);
        }

        long counted;
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            // A bitmap index scan collects every match before LIMIT applies (2.3 million for a city-wide bbox,
            // ~1 s); a plain index or sequential scan stops at the cap.
            await using (var streaming = new NpgsqlCommand("SET LOCAL enable_bitmapscan = off", connection, tx))
            {
                await streaming.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var count = new NpgsqlCommand(
                $"SELECT count(*) FROM (SELECT 1 FROM parcels {where} LIMIT {cap + 1L}) capped", connection, tx);
            count.Parameters.AddRange(parameters());
            counted = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            await tx.CommitAsync(cancellationToken);
        }

        if (counted <= cap)
        {
            return new ParcelPage(items, counted);
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN (FORMAT JSON) SELECT 1 FROM parcels {where}", connection);
        explain.Parameters.AddRange(parameters());
        var plan = (string)(await explain.ExecuteScalarAsync(cancellationToken))!;
        using var json = JsonDocument.Parse(plan);
        var estimate = (long)json.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
        return new ParcelPage(items, Math.Max(estimate, cap + 1L));
    }

    /// <summary>
    /// Binary COPY into an unlogged per-transaction staging table, then one INSERT ... ON CONFLICT on the key.
    /// Within one call a key given twice is written once, the last occurrence winning, and each repeat counts as
    /// an update (as if the parcels were upserted one by one). An update replaces every
    /// field, <see cref="Parcel.Personal"/> included (null clears it), and keeps the id.
    /// </summary>
    public async Task<UpsertResult> UpsertAsync(
        IReadOnlyCollection<Parcel> parcels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        if (parcels.Count == 0)
        {
            return new UpsertResult(0, 0);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var result = await UpsertAsync(connection, tx, parcels, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// An import that commits as a whole or not at all: every <see cref="ParcelImportTransaction.UpsertAsync"/> goes
    /// into one transaction, which <see cref="ParcelImportTransaction.CommitAsync"/> commits; disposed without a
    /// commit (a failure, a file cut short, too many rejections), it is rolled back and the land records are as before.
    /// </summary>
    public async Task<ParcelImportTransaction> BeginImportAsync(CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new ParcelImportTransaction(connection, await connection.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary><see cref="UpsertAsync(IReadOnlyCollection{Parcel}, CancellationToken)"/> inside <paramref name="tx"/>, which the caller commits.</summary>
    internal static async Task<UpsertResult> UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<Parcel> parcels, CancellationToken cancellationToken)
    {
        var distinct = LastPerKey(parcels);
        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE parcel_staging (
                unit text, sheet text, number text, land_use text, lu text, registered_area double precision,
                area double precision, source_srid integer, source_geom geometry, geom geometry, personal jsonb
            ) ON COMMIT DROP
            """, connection, tx))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY parcel_staging (unit, sheet, number, land_use, lu, registered_area, area, source_srid, " +
            "source_geom, geom, personal) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var parcel in distinct)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(parcel.Key.Unit, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(parcel.Key.Sheet, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(parcel.Key.Number, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(parcel.LandUse, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(LandUseCodes.Principal(parcel.LandUse), NpgsqlDbType.Text, cancellationToken);
                if (parcel.RegisteredArea is { } registered)
                {
                    await writer.WriteAsync(registered, NpgsqlDbType.Double, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }

                await writer.WriteAsync(parcel.Area, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(parcel.SourceSrid, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(WithSrid(parcel.SourceGeometry, parcel.SourceSrid, parcel.Key), NpgsqlDbType.Geometry, cancellationToken);
                await writer.WriteAsync(WithSrid(parcel.Geometry, 4326, parcel.Key), NpgsqlDbType.Geometry, cancellationToken);
                if (parcel.Personal is { } personal)
                {
                    await writer.WriteAsync(JsonSerializer.Serialize(personal), NpgsqlDbType.Jsonb, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        UpsertResult result;
        // xmax = 0 only on a row version this statement inserted; an updated row carries our transaction id.
        await using (var merge = new NpgsqlCommand("""
            WITH merged AS (
                INSERT INTO parcels AS p (unit, sheet, number, land_use, lu, registered_area, area, source_srid,
                                          source_geom, geom, personal)
                SELECT unit, sheet, number, land_use, lu, registered_area, area, source_srid, source_geom, geom, personal
                FROM parcel_staging
                ON CONFLICT (unit, sheet, number) DO UPDATE SET
                    land_use = EXCLUDED.land_use,
                    lu = EXCLUDED.lu,
                    registered_area = EXCLUDED.registered_area,
                    area = EXCLUDED.area,
                    source_srid = EXCLUDED.source_srid,
                    source_geom = EXCLUDED.source_geom,
                    geom = EXCLUDED.geom,
                    personal = EXCLUDED.personal,
                    updated_at = now()
                RETURNING (p.xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
            """, connection, tx))
        {
            await using var reader = await merge.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var repeats = parcels.Count - distinct.Count;
            result = new UpsertResult(checked((int)reader.GetInt64(0)), checked((int)reader.GetInt64(1) + repeats));
        }

        return result;
    }

    /// <summary>
    /// The "parcels" layer of <see cref="ParcelTiles"/>: feature id = parcel id, attributes id, unit, sheet,
    /// number, landUse, lu, area (m², to 0.1); empty below <see cref="ParcelTileOptions.MinZoom"/>, without
    /// features narrower and lower than <see cref="VectorTileOptions.MinFeatureSizePixels"/>, and when nothing is visible.
    /// </summary>
    public async Task<byte[]> GetTileAsync(int z, int x, int y, CancellationToken cancellationToken = default)
    {
        TileMath.Validate(z, x, y);
        var tiles = _options.Tiles;
        if (z < tiles.MinZoom)
        {
            return [];
        }

        // The tile's 4326 envelope with its buffer selects through the GiST index. ST_AsMVT takes the first
        // bigint column named by feature_id_name as the feature id, so "id" is selected again as an attribute.
        await using var command = dataSource.CreateCommand("""
            WITH bounds AS (
                SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
                       ST_Transform(ST_TileEnvelope($1, $2, $3, margin => $5::float8 / $4), 4326) AS wgs84),
            candidates AS (
                SELECT p.id, p.unit, p.sheet, p.number, p.land_use, p.lu, p.area, ST_Transform(p.geom, 3857) AS mercator
                FROM parcels p, bounds b
                WHERE p.geom && b.wgs84),
            features AS (
                SELECT c.id AS fid, c.id, c.unit, c.sheet, c.number, c.land_use AS "landUse", c.lu,
                       round(c.area::numeric, 1)::double precision AS area,
                       ST_AsMVTGeom(c.mercator, b.mercator, $4, $5, true) AS geom
                FROM candidates c, bounds b
                WHERE ST_XMax(c.mercator) - ST_XMin(c.mercator) >= $6
                   OR ST_YMax(c.mercator) - ST_YMin(c.mercator) >= $6
                ORDER BY c.id)
            SELECT ST_AsMVT(features, 'parcels', $4, 'geom', 'fid') FROM features WHERE geom IS NOT NULL
            """);
        command.Parameters.Add(new() { Value = z });
        command.Parameters.Add(new() { Value = x });
        command.Parameters.Add(new() { Value = y });
        command.Parameters.Add(new() { Value = (int)tiles.Tile.Extent });
        command.Parameters.Add(new() { Value = (int)tiles.Tile.Buffer });
        command.Parameters.Add(new() { Value = tiles.Tile.MinFeatureSizePixels * TileMath.TileSizeMetres(z) / 256 });
        var tile = await command.ExecuteScalarAsync(cancellationToken);
        return tile as byte[] ?? [];
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM parcels");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The restricted personal fields of one parcel (owner, address, ID numbers), or null when none were kept
    /// or the parcel does not exist. Only for the audited officer view: the caller records the access.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>?> GetPersonalAsync(
        long id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT personal::text FROM parcels WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json)
            : null;
    }

    private static (string Where, Func<NpgsqlParameter[]> Parameters) SearchFilter(ParcelQuery query)
    {
        var conditions = new List<string>();
        var values = new List<(object Value, NpgsqlDbType Type)>();

        string Next(object value, NpgsqlDbType type)
        {
            values.Add((value, type));
            return "$" + values.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (query.Bbox is { IsNull: false } bbox)
        {
            var envelope = $"ST_MakeEnvelope({Next(bbox.MinX, NpgsqlDbType.Double)}, {Next(bbox.MinY, NpgsqlDbType.Double)}, " +
                           $"{Next(bbox.MaxX, NpgsqlDbType.Double)}, {Next(bbox.MaxY, NpgsqlDbType.Double)}, 4326)";
            conditions.Add($"ST_Intersects(geom, {envelope})");
        }

        if (query.Unit is not null)
        {
            conditions.Add($"unit = {Next(query.Unit, NpgsqlDbType.Text)}");
        }

        if (query.Sheet is not null)
        {
            conditions.Add($"sheet = {Next(query.Sheet, NpgsqlDbType.Text)}");
        }

        if (query.Number is not null)
        {
            conditions.Add($"number = {Next(query.Number, NpgsqlDbType.Text)}");
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        // Each command needs parameter instances of its own.
        return (where, () => [.. values.Select(v => new NpgsqlParameter { Value = v.Value, NpgsqlDbType = v.Type })]);
    }

    /// <summary>
    /// One parcel per key, in key order: concurrent upserts then lock existing rows in the same order and
    /// cannot deadlock on each other.
    /// </summary>
    private static List<Parcel> LastPerKey(IReadOnlyCollection<Parcel> parcels)
    {
        var index = new Dictionary<ParcelKey, int>(parcels.Count);
        var distinct = new List<Parcel>(parcels.Count);
        foreach (var parcel in parcels)
        {
            if (index.TryGetValue(parcel.Key, out var at))
            {
                distinct[at] = parcel;
            }
            else
            {
                index.Add(parcel.Key, distinct.Count);
                distinct.Add(parcel);
            }
        }

        distinct.Sort(static (a, b) => CompareKeys(a.Key, b.Key));
        return distinct;
    }

    private static int CompareKeys(ParcelKey a, ParcelKey b)
    {
        var unit = string.CompareOrdinal(a.Unit, b.Unit);
        if (unit != 0)
        {
            return unit;
        }

        var sheet = string.CompareOrdinal(a.Sheet, b.Sheet);
        return sheet != 0 ? sheet : string.CompareOrdinal(a.Number, b.Number);
    }

    private static Geometry WithSrid(Geometry geometry, int srid, ParcelKey key)
    {
        if (geometry.SRID == srid)
        {
            return geometry;
        }

        if (geometry.SRID != 0)
        {
            throw new ArgumentException(
                $"Parcel {key}: geometry has SRID {geometry.SRID}, expected {srid}.", nameof(geometry));
        }

        var copy = geometry.Copy();
        copy.SRID = srid;
        return copy;
    }

    private static async Task<List<Parcel>> ReadParcelsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var parcels = new List<Parcel>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            parcels.Add(ReadParcel(reader));
        }

        return parcels;
    }

    private static Parcel ReadParcel(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Key = new ParcelKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)),
        LandUse = reader.GetString(4),
        RegisteredArea = reader.IsDBNull(5) ? null : reader.GetDouble(5),
        Area = reader.GetDouble(6),
        SourceSrid = reader.GetInt32(7),
        SourceGeometry = reader.GetFieldValue<Geometry>(8),
        Geometry = reader.GetFieldValue<Geometry>(9),
    };
}

/// <summary>
/// One import's transaction on its own connection (<see cref="PostGisParcelStore.BeginImportAsync"/>): batches are
/// upserted one at a time, and nothing is visible to others nor kept until <see cref="CommitAsync"/>.
/// </summary>
public sealed class ParcelImportTransaction : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    internal ParcelImportTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Upserts one batch as <see cref="PostGisParcelStore.UpsertAsync(IReadOnlyCollection{Parcel}, CancellationToken)"/> does, uncommitted.</summary>
    public async Task<UpsertResult> UpsertAsync(IReadOnlyCollection<Parcel> parcels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        if (parcels.Count == 0)
        {
            return new UpsertResult(0, 0);
        }

        var result = await PostGisParcelStore.UpsertAsync(_connection, _transaction, parcels, cancellationToken);
        // The staging table lives until the commit; the next batch of this transaction creates it anew.
        await using var drop = new NpgsqlCommand("DROP TABLE parcel_staging", _connection, _transaction);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        return result;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => _transaction.CommitAsync(cancellationToken);

    /// <summary>Rolls back whatever was not committed and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
