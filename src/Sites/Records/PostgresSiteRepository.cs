using HcmCity.Abstractions.Sites;
using System.Text.Json;
using HcmCity.Sites.Public;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace HcmCity.Sites.Records;

/// <summary>Sites, sensors and alerts in PostgreSQL+PostGIS (migrations 0006_sites.sql, 0007_sensor_revocation.sql).</summary>
public sealed class PostgresSiteRepository(NpgsqlDataSource dataSource) : ISiteRepository
{
    private const string SiteColumns =
        "id, permit_number, parcel_id, ward, zone, footprint, conditions, status, status_since, created_at";

    private const string SensorColumns = "device_id, site_id, kind, secret_hash, created_at, revoked_at";

    private const string AlertColumns =
        "id, site_id, device_id, metric, severity, value, limit_value, state, raised_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddSiteAsync(SiteRecord site, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO sites ({SiteColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """);
        command.Parameters.Add(new() { Value = site.Id });
        command.Parameters.Add(new() { Value = site.PermitNumber });
        command.Parameters.Add(new() { Value = site.ParcelId });
        command.Parameters.Add(new() { Value = site.Ward });
        command.Parameters.Add(new() { Value = site.Zone });
        command.Parameters.Add(new() { Value = site.Footprint });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(site.Conditions, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = site.Status });
        command.Parameters.Add(new() { Value = (object?)site.StatusSince ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = site.CreatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SiteRecord?> GetSiteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SiteColumns} FROM sites WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        var found = await ReadSitesAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<SiteRecord>> SearchSitesAsync(SiteQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SiteColumns} FROM sites
            WHERE ($1::text IS NULL OR ward = $1)
              AND ($2::double precision IS NULL OR ST_Intersects(footprint, ST_MakeEnvelope($2, $3, $4, $5, 4326)))
            ORDER BY id
            LIMIT $6
            """);
        var bbox = query.Bbox;
        command.Parameters.Add(new() { Value = (object?)query.Ward ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)bbox?.MinX ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = (object?)bbox?.MinY ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = (object?)bbox?.MaxX ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = (object?)bbox?.MaxY ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = query.Limit });
        return await ReadSitesAsync(command, cancellationToken);
    }

    public async Task UpdateStatusAsync(string siteId, string status, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE sites SET status = $2, status_since = $3 WHERE id = $1");
        command.Parameters.Add(new() { Value = siteId });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = since });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InvalidOperationException($"Site {siteId} does not exist.");
        }
    }

    public async Task AddSensorAsync(SensorRecord sensor, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO site_sensors (device_id, site_id, kind, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new() { Value = sensor.DeviceId });
        command.Parameters.Add(new() { Value = sensor.SiteId });
        command.Parameters.Add(new() { Value = sensor.Kind });
        command.Parameters.Add(new() { Value = sensor.SecretHash });
        command.Parameters.Add(new() { Value = sensor.CreatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SensorRecord?> GetSensorAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SensorColumns} FROM site_sensors WHERE device_id = $1");
        command.Parameters.Add(new() { Value = deviceId });
        var found = await ReadSensorsAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<SensorRecord?> RevokeSensorAsync(string deviceId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE site_sensors SET revoked_at = COALESCE(revoked_at, $2) WHERE device_id = $1 RETURNING {SensorColumns}
            """);
        command.Parameters.Add(new() { Value = deviceId });
        command.Parameters.Add(new() { Value = at });
        var found = await ReadSensorsAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<SensorRecord>> ListSensorsAsync(string siteId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SensorColumns} FROM site_sensors WHERE site_id = $1 ORDER BY device_id");
        command.Parameters.Add(new() { Value = siteId });
        return await ReadSensorsAsync(command, cancellationToken);
    }

    public async Task SaveAlertAsync(AlertView alert, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO site_alerts ({AlertColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (id) DO UPDATE SET
                severity = excluded.severity, value = excluded.value, limit_value = excluded.limit_value,
                state = excluded.state, acknowledged_at = excluded.acknowledged_at,
                acknowledged_by = excluded.acknowledged_by, resolved_at = excluded.resolved_at,
                resolved_by = excluded.resolved_by
            """);
        command.Parameters.Add(new() { Value = alert.Id });
        command.Parameters.Add(new() { Value = alert.SiteId });
        command.Parameters.Add(new() { Value = alert.DeviceId });
        command.Parameters.Add(new() { Value = alert.Metric });
        command.Parameters.Add(new() { Value = alert.Severity });
        command.Parameters.Add(new() { Value = (object?)alert.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = (object?)alert.Limit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = alert.State });
        command.Parameters.Add(new() { Value = alert.RaisedAt });
        command.Parameters.Add(new() { Value = (object?)alert.AcknowledgedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)alert.AcknowledgedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)alert.ResolvedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)alert.ResolvedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AlertView?> GetAlertAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AlertColumns} FROM site_alerts WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        var found = await ReadAlertsAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<AlertView>> ListOpenAlertsAsync(string siteId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {AlertColumns} FROM site_alerts WHERE site_id = $1 AND state <> 'resolved' ORDER BY raised_at, id");
        command.Parameters.Add(new() { Value = siteId });
        return await ReadAlertsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<SiteMonthRow>> SiteFiguresAsync(SiteFiguresQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.ward, count(DISTINCT s.id)::int, count(a.id)::int
            FROM sites s
            LEFT JOIN site_alerts a ON a.site_id = s.id AND a.severity = 'violation' AND a.acknowledged_at IS NOT NULL
                AND a.raised_at >= $2 AND a.raised_at < $3
            WHERE ($1::text IS NULL OR s.ward = $1) AND s.created_at < $3
            GROUP BY s.ward
            ORDER BY s.ward COLLATE "C"
            """);
        command.Parameters.Add(new() { Value = (object?)query.Ward ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = query.Start.ToUniversalTime() });
        command.Parameters.Add(new() { Value = query.End.ToUniversalTime() });
        var rows = new List<SiteMonthRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SiteMonthRow(reader.GetString(0), query.MonthText, reader.GetInt32(1), reader.GetInt32(2)));
        }
        return rows;
    }

    private static async Task<List<SiteRecord>> ReadSitesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var sites = new List<SiteRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sites.Add(new SiteRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetFieldValue<Geometry>(5),
                JsonSerializer.Deserialize<SiteConditions>(reader.GetString(6), Json)!,
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return sites;
    }

    private static async Task<List<SensorRecord>> ReadSensorsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var sensors = new List<SensorRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sensors.Add(new SensorRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return sensors;
    }

    private static async Task<List<AlertView>> ReadAlertsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var alerts = new List<AlertView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(new AlertView(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5),
                reader.IsDBNull(6) ? null : reader.GetDouble(6),
                reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }
        return alerts;
    }
}
