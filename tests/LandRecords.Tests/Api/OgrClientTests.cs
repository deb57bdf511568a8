using HcmCity.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HcmCity.LandRecords.Tests.Api;

/// <summary>
/// GDAL/OGR (gdal-bin, installed by scripts/services.sh) reads the OGC API over real HTTP, as QGIS would.
/// GDAL 3.6 has no CRS open option for OAPIF (added in 3.7), so these read CRS84.
/// </summary>
[Collection(ApiPlatformCollection.Name)]
public sealed class OgrClientTests(ApiPlatformFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Source => $"OAPIF:{fixture.Platform.BaseAddress}ogc";

    [Fact]
    public async Task Ogrinfo_reports_the_parcel_count_and_polygon_geometry()
    {
        var output = await RunAsync("ogrinfo", "-ro", "-so", Source, "parcels");
        var count = await fixture.Store.CountAsync(Ct);
        Assert.Contains("Geometry: Polygon", output, StringComparison.Ordinal);
        Assert.Contains($"Feature Count: {count.ToString(CultureInfo.InvariantCulture)}", output, StringComparison.Ordinal);
        foreach (var field in new[] { "unit: String", "sheet: String", "number: String", "landUse: String", "area: Real" })
        {
            Assert.Contains(field, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ogrinfo_with_a_spatial_filter_counts_the_patch_through_the_bbox_parameter()
    {
        var box = fixture.Patch.Bbox(-1, -1, 61, 101);
        var output = await RunAsync(
            "ogrinfo", "-ro", "-so", "-spat",
            F(box.MinX), F(box.MinY), F(box.MaxX), F(box.MaxY),
            Source, "parcels");
        Assert.Contains($"Feature Count: {fixture.Lots.Count}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogr2ogr_copies_features_with_their_land_record_fields()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hcm-ogr-{Guid.NewGuid():N}.geojson");
        try
        {
            var box = fixture.Patch.Bbox(-1, -1, 61, 101);
            await RunAsync(
                "ogr2ogr", "-f", "GeoJSON", file, Source, "parcels",
                "-spat", F(box.MinX), F(box.MinY), F(box.MaxX), F(box.MaxY));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct));
            var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
            Assert.Equal(fixture.Lots.Count, features.Count);
            var byNumber = features.ToDictionary(f => f.GetProperty("properties").GetProperty("number").GetString()!);
            foreach (var lot in fixture.Lots)
            {
                var properties = byNumber[lot.Key.Number].GetProperty("properties");
                Assert.Equal(lot.Id, properties.GetProperty("id").GetInt64());
                Assert.Equal(fixture.Patch.Unit, properties.GetProperty("unit").GetString());
                Assert.Equal("EPSG:9210", properties.GetProperty("sourceCrs").GetString());
                Assert.Equal(lot.Area, properties.GetProperty("area").GetDouble(), 0.01);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The platform listens on loopback: never route GDAL's requests through a proxy from the environment.
        start.Environment["NO_PROXY"] = "127.0.0.1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await stderr}\n{output}");
        return output;
    }
}
