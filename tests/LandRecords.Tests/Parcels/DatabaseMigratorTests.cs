using HcmCity.Platform;
using HcmCity.Gis.Crs;
using HcmCity.Testing;
using HcmCity.LandRecords;
using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HcmCity.LandRecords.Tests.Parcels;

/// <summary>Each test migrates a fresh, uniquely named database of its own.</summary>
public sealed class DatabaseMigratorTests
{
    private static readonly int[] Vn2000Srids =
        [4756, 5896, 5897, 5898, 5899, .. Enumerable.Range(9205, 14)];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Empty_database_gets_every_migration_recorded_in_order()
    {
        await using var db = await PostgresDatabase.CreateAsync(Ct);

        var applied = await db.MigrateAsync(Ct);

        Assert.Equal(PlatformSchema.Migrations.Count, applied);
        var recorded = new List<(int Version, string Name, string Checksum)>();
        await using (var command = db.DataSource.CreateCommand(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version"))
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                recorded.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.Equal(PlatformSchema.Migrations.Select(m => (m.Version, m.Name, m.Checksum)), recorded);
        Assert.Contains(recorded, r => r is { Version: 1, Name: "extensions" });
        Assert.Contains(recorded, r => r is { Version: 2, Name: "parcels" });
        Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM parcels"));
    }

    [Fact]
    public async Task Rerun_applies_nothing_and_leaves_the_records_untouched()
    {
        await using var db = await PostgresDatabase.CreateAsync(Ct);
        await db.MigrateAsync(Ct);
        var before = await ScalarAsync<DateTime>(db, "SELECT max(applied_at) FROM schema_migrations");

        var applied = await db.MigrateAsync(Ct);

        Assert.Equal(0, applied);
        Assert.Equal(before, await ScalarAsync<DateTime>(db, "SELECT max(applied_at) FROM schema_migrations"));
        Assert.Equal((long)PlatformSchema.Migrations.Count, await ScalarAsync<long>(db, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Processes_migrating_at_once_apply_each_migration_exactly_once()
    {
        await using var db = await PostgresDatabase.CreateAsync(Ct);
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToList();
        try
        {
            var counts = await Task.WhenAll(dataSources.Select(ds =>
                Task.Run(() => DatabaseMigrator.MigrateAsync(ds, PlatformSchema.Migrations, NullLogger.Instance, Ct), Ct)));

            Assert.Equal(PlatformSchema.Migrations.Count, counts.Sum());
            Assert.Equal((long)PlatformSchema.Migrations.Count, await ScalarAsync<long>(db, "SELECT count(*) FROM schema_migrations"));
        }
        finally
        {
            foreach (var ds in dataSources)
            {
                await ds.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Changed_applied_migration_is_refused_with_its_name()
    {
        await using var db = await PostgresDatabase.CreateAsync(Ct);
        await db.MigrateAsync(Ct);
        await ScalarAsync<int>(db, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2 RETURNING version");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.MigrateAsync(Ct));

        Assert.Contains("0002_parcels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_VN2000_TM3_zone_is_in_spatial_ref_sys_with_the_EPSG_6960_shift()
    {
        await using var db = await PostgresDatabase.CreateAsync(Ct);
        await db.MigrateAsync(Ct);

        foreach (var srid in Vn2000Srids)
        {
            await using var command = db.DataSource.CreateCommand(
                "SELECT auth_name, srtext, proj4text FROM spatial_ref_sys WHERE srid = $1");
            command.Parameters.Add(new() { Value = srid });
            await using var reader = await command.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct), $"EPSG:{srid} is missing from spatial_ref_sys");
            Assert.Equal("EPSG", reader.GetString(0));
            // Position Vector signs of EPSG:6960 (regulations.md section 1): rX +, rY -, rZ +.
            Assert.Contains(
                "TOWGS84[-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278]",
                reader.GetString(1), StringComparison.Ordinal);
            Assert.Contains(
                "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278",
                reader.GetString(2), StringComparison.Ordinal);
            Assert.Contains($"AUTHORITY[\"EPSG\",\"{srid}\"]]", reader.GetString(1), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Srid.HcmcTm3, 604516.878, 1191009.621)] // VMS-South HCM-29-2018 point 1, District 1
    [InlineData(Srid.HcmcTm3, 604577.124, 1190883.828)] // point 2
    [InlineData(Srid.HcmcTm3, 580000.0, 1210000.0)] // Hoc Mon, north-west of the centre
    [InlineData(Srid.BrvtTm3, 427000.0, 1141000.0)] // Vung Tau, former Ba Ria-Vung Tau (EPSG:5899)
    [InlineData(Srid.BrvtTm3, 390000.0, 1150000.0)] // Can Gio, where PROJ alone would pick EPSG:5194
    public async Task PostGIS_ST_Transform_to_WGS84_agrees_with_CrsTransforms_within_1_cm(int srid, double e, double n)
    {
        await using var db = await PostgresDatabase.CreateAsync(Ct);
        await db.MigrateAsync(Ct);
        await using var command = db.DataSource.CreateCommand(
            "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), $3), 4326) AS p");
        command.Parameters.Add(new() { Value = e });
        command.Parameters.Add(new() { Value = n });
        command.Parameters.Add(new() { Value = srid });
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        var (postgisLon, postgisLat) = (reader.GetDouble(0), reader.GetDouble(1));

        var (lon, lat) = CrsTransforms.Transform(e, n, srid, Srid.Wgs84);

        const double MetresPerDegree = 111_320.0;
        var dx = (postgisLon - lon) * MetresPerDegree * Math.Cos(lat * Math.PI / 180);
        var dy = (postgisLat - lat) * MetresPerDegree;
        var distance = Math.Sqrt(dx * dx + dy * dy);
        Assert.True(distance < 0.01, $"PostGIS and CrsTransforms differ by {distance:F4} m at EPSG:{srid} {e} {n}");
    }

    private static async Task<T> ScalarAsync<T>(PostgresDatabase db, string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
