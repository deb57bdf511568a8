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
    public async Task Crs_option_overrides_the_file_and_the_unit_option_names_every_parcel()
    {
        var unit = Unit();
        // The file says WGS 84 but its coordinates are VN-2000 metres, as exported by tools that drop the CRS.
        var file = WriteGeoJson("mislabelled.geojson", "EPSG:4326", Features("ignored", 3));

        var exit = await CliApp.RunAsync(
            ["import", "parcels", file, "--crs", "EPSG:9210", "--unit", unit, "--connection", fixture.Database.ConnectionString]);

        Assert.Equal(0, exit);
        Assert.Equal(3L, await ScalarAsync<long>(
            "SELECT count(*) FROM parcels WHERE unit = $1 AND source_srid = 9210 AND ST_X(ST_Centroid(geom)) BETWEEN 106.6 AND 106.8",
            unit));
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

    private string WriteGeoJson(
        string name, string crs, IEnumerable<(string Unit, string Sheet, int Number, double East, double North)> lots)
    {
        var path = Path.Combine(_directory, name);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartObject("crs");
        json.WriteString("type", "name");
        json.WriteStartObject("properties");
        json.WriteString("name", crs);
        json.WriteEndObject();
        json.WriteEndObject();
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
