using System.Text.Json;
using HcmCity.Testing;
using HcmCity.Silo.Cli;
using Npgsql;

namespace HcmCity.LandRecords.Tests.Parcels;

/// <summary>The parcel verbs of the CLI, run as an operator would, against a database of their own.</summary>
public sealed class ParcelCliTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hcm-cli-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Importing_a_file_twice_inserts_then_updates_without_duplicates()
    {
        var unit = Unit();
        var file = WriteGeoJson("parcels.geojson", "EPSG:9210", Features(unit, count: 12, duplicateOf: 3));
        string[] args = ["import", "parcels", file, "--connection", fixture.Database.ConnectionString];

        var first = await CliApp.RunAsync(args);
        var idsAfterFirst = await IdsAsync(unit);
        var second = await CliApp.RunAsync(args);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Equal(12, idsAfterFirst.Count);
        Assert.Equal(idsAfterFirst, await IdsAsync(unit));
        Assert.Equal(12L, await ScalarAsync<long>(
            "SELECT count(*) FROM parcels WHERE unit = $1 AND updated_at > created_at", unit));
    }

    [Fact]
    public async Task Personal_fields_are_stored_only_with_keep_personal()
    {
        var without = Unit();
        var with = Unit();
        await CliApp.RunAsync(["import", "parcels", WriteGeoJson("a.geojson", "EPSG:9210", Features(without, 2)),
            "--connection", fixture.Database.ConnectionString]);
        await CliApp.RunAsync(["import", "parcels", WriteGeoJson("b.geojson", "EPSG:9210", Features(with, 2)),
            "--keep-personal", "--connection", fixture.Database.ConnectionString]);

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(personal) FROM parcels WHERE unit = $1", without));
        Assert.Equal(2L, await ScalarAsync<long>(
            "SELECT count(*) FROM parcels WHERE unit = $1 AND personal->>'TENCHU' = 'Trần Thị Riêng'", with));
    }

    [Fact]
    public async Task A_crs_option_contradicting_the_file_is_refused_and_applied_only_with_force_crs()
    {
        var unit = Unit();
        // The file says WGS 84 but its coordinates are VN-2000 metres, as exported by tools that mislabel the CRS.
        var file = WriteGeoJson("mislabelled.geojson", "EPSG:4326", Features("ignored", 3));
        string[] args = ["import", "parcels", file, "--crs", "EPSG:9210", "--unit", unit, "--connection", fixture.Database.ConnectionString];

        var refused = await CliApp.RunAsync(args);
        var afterRefusal = await ScalarAsync<long>("SELECT count(*) FROM parcels WHERE unit = $1", unit);
        var forced = await CliApp.RunAsync([.. args, "--force-crs"]);

        Assert.Equal(2, refused);
        Assert.Equal(0L, afterRefusal);
        Assert.Equal(0, forced);
        Assert.Equal(3L, await ScalarAsync<long>(
            "SELECT count(*) FROM parcels WHERE unit = $1 AND source_srid = 9210 AND ST_X(ST_Centroid(geom)) BETWEEN 106.6 AND 106.8",
            unit));
    }

    [Fact]
    public async Task A_crs_option_is_applied_to_a_file_that_declares_none_or_the_same()
    {
        var none = Unit();
        var same = Unit();

        var undeclared = await CliApp.RunAsync(["import", "parcels", WriteGeoJson("no-crs.geojson", null, Features(none, 2)),
            "--crs", "EPSG:9210", "--connection", fixture.Database.ConnectionString]);
        var agreeing = await CliApp.RunAsync(["import", "parcels",
            WriteGeoJson("same-crs.geojson", "urn:ogc:def:crs:EPSG::9210", Features(same, 2)),
            "--crs", "EPSG:9210", "--connection", fixture.Database.ConnectionString]);

        Assert.Equal(0, undeclared);
        Assert.Equal(0, agreeing);
        Assert.Equal(4L, await ScalarAsync<long>(
            "SELECT count(*) FROM parcels WHERE unit IN ($1, $2) AND source_srid = 9210 AND ST_X(ST_Centroid(geom)) BETWEEN 106.6 AND 106.8",
            none, same));
    }

    [Fact]
    public async Task A_file_cut_short_commits_nothing_and_exits_2()
    {
        var unit = Unit();
        // 108,000 parcels before the cut: more than a batch-by-batch load holds uncommitted (two batches of 20,000
        // being written, two queued, one being read), so such a load had committed some when the cut was found.
        var whole = WriteGeoJson("whole.geojson", "EPSG:9210", Grid(unit, 120_000));
        var bytes = await File.ReadAllBytesAsync(whole, Ct);
        var cut = Path.Combine(_directory, "cut.geojson");
        await File.WriteAllBytesAsync(cut, bytes.AsMemory(0, bytes.Length * 9 / 10), Ct);

        var exit = await CliApp.RunAsync(["import", "parcels", cut, "--connection", fixture.Database.ConnectionString]);

        Assert.Equal(2, exit);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM parcels WHERE unit = $1", unit));
    }

    [Fact]
    public async Task A_file_of_which_every_feature_is_rejected_exits_1()
    {
        var unit = Unit();
        // Hundreds of kilometres out at sea: outside the CRS's plausible extent, so each feature is rejected.
        var file = WriteGeoJson("all-rejected.geojson", "EPSG:9210",
            Features(unit, 4).Select(f => f with { East = f.East + 3_000_000 }));

        var exit = await CliApp.RunAsync(["import", "parcels", file, "--connection", fixture.Database.ConnectionString]);

        Assert.Equal(1, exit);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM parcels WHERE unit = $1", unit));
    }

    [Fact]
    public async Task Rejections_beyond_max_rejected_as_count_or_percent_exit_1_and_commit_nothing()
    {
        var unit = Unit();
        // 7 good lots and 3 far out at sea: 30 % rejected.
        var lots = Features(unit, 10).Select(f => f.Number > 7 ? f with { East = f.East + 3_000_000 } : f).ToList();
        var file = WriteGeoJson("some-rejected.geojson", "EPSG:9210", lots);
        string[] args = ["import", "parcels", file, "--connection", fixture.Database.ConnectionString];

        var overCount = await CliApp.RunAsync([.. args, "--max-rejected", "2"]);
        var overPercent = await CliApp.RunAsync([.. args, "--max-rejected", "29.5%"]);
        var afterRefusals = await ScalarAsync<long>("SELECT count(*) FROM parcels WHERE unit = $1", unit);
        var malformed = await CliApp.RunAsync([.. args, "--max-rejected", "lots"]);
        var within = await CliApp.RunAsync([.. args, "--max-rejected", "30%"]);

        Assert.Equal(1, overCount);
        Assert.Equal(1, overPercent);
        Assert.Equal(0L, afterRefusals);
        Assert.Equal(2, malformed);
        Assert.Equal(0, within);
        Assert.Equal(7L, await ScalarAsync<long>("SELECT count(*) FROM parcels WHERE unit = $1", unit));
    }

    [Fact]
    public async Task Missing_file_or_unknown_crs_exits_with_2_and_imports_nothing()
    {
        var before = await ScalarAsync<long>("SELECT count(*) FROM parcels");
        var file = WriteGeoJson("ok.geojson", "EPSG:9210", Features(Unit(), 2));

        var missing = await CliApp.RunAsync(
            ["import", "parcels", Path.Combine(_directory, "nope.geojson"), "--connection", fixture.Database.ConnectionString]);
        var unknownOption = await CliApp.RunAsync(
            ["import", "parcels", file, "--crs", "EPSG:1234", "--connection", fixture.Database.ConnectionString]);
        var unknownInFile = await CliApp.RunAsync(
            ["import", "parcels", WriteGeoJson("bad-crs.geojson", "EPSG:2056", Features(Unit(), 2)),
             "--connection", fixture.Database.ConnectionString]);

        Assert.Equal(2, missing);
        Assert.Equal(2, unknownOption);
        Assert.Equal(2, unknownInFile);
        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM parcels"));
    }

    [Fact]
    public async Task Generate_streams_the_synthetic_city_into_a_new_database_and_migrate_is_then_a_no_op()
    {
        await using var db = await PostgresDatabase.CreateAsync(Ct);

        var generate = await CliApp.RunAsync(["generate", "parcels", "--count", "1500", "--seed", "3", "--connection", db.ConnectionString]);
        var again = await CliApp.RunAsync(["generate", "parcels", "--count", "1500", "--seed", "3", "--connection", db.ConnectionString]);
        var migrate = await CliApp.RunAsync(["migrate", "--connection", db.ConnectionString]);

        Assert.Equal(0, generate);
        Assert.Equal(0, again);
        Assert.Equal(0, migrate);
        await using var count = db.DataSource.CreateCommand(
            "SELECT count(*), count(DISTINCT (unit, sheet, number)), count(*) FILTER (WHERE updated_at > created_at) FROM parcels");
        await using var reader = await count.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(1500L, reader.GetInt64(0));
        Assert.Equal(1500L, reader.GetInt64(1));
        Assert.Equal(1500L, reader.GetInt64(2));
    }

    private static string Unit() => "c" + Guid.NewGuid().ToString("N")[..8];

    /// <summary><paramref name="count"/> square lots on a grid of 400 columns, 20 m apart, from near Ben Thanh.</summary>
    private static IEnumerable<(string Unit, string Sheet, int Number, double East, double North)> Grid(string unit, int count) =>
        Enumerable.Range(1, count).Select(n => (unit, "5", n, 600000.0 + (n % 400 * 20), 1188000.0 + (n / 400 * 20)));

    /// <summary>Square 15 m lots in EPSG:9210 near Ben Thanh, with the field names of HCMC cadastral exports.</summary>
    private static List<(string Unit, string Sheet, int Number, double East, double North)> Features(
        string unit, int count, int? duplicateOf = null)
    {
        var features = Enumerable.Range(1, count)
            .Select(n => (unit, "5", n, 604500.0 + n * 20, 1190900.0))
            .ToList();
        if (duplicateOf is { } number)
        {
            features.Add((unit, "5", number, 604500.0, 1190800.0));
        }

        return features;
    }

    /// <param name="crs">The file's "crs" member, or null for none (RFC 7946).</param>
    private string WriteGeoJson(
        string name, string? crs, IEnumerable<(string Unit, string Sheet, int Number, double East, double North)> lots)
    {
        var path = Path.Combine(_directory, name);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        if (crs is not null)
        {
            json.WriteStartObject("crs");
            json.WriteString("type", "name");
            json.WriteStartObject("properties");
            json.WriteString("name", crs);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteStartArray("features");
        foreach (var (unit, sheet, number, east, north) in lots)
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteStartObject("properties");
            json.WriteString("XAID", unit);
            json.WriteNumber("SHBANDO", double.Parse(sheet, System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("SHTHUA", (double)number);
            json.WriteNumber("DIENTICH", 225.0);
            json.WriteString("KHLOAIDAT", "ODT");
            json.WriteString("TENCHU", "Trần Thị Riêng");
            json.WriteEndObject();
            json.WriteStartObject("geometry");
            GeoJsonWriting.WriteSquareLot(json, east, north);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return path;
    }

    private async Task<List<long>> IdsAsync(string unit)
    {
        var ids = new List<long>();
        await using var command = fixture.Database.DataSource.CreateCommand("SELECT id FROM parcels WHERE unit = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = unit });
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
