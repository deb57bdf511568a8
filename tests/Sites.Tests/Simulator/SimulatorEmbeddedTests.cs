using System.Text.Json;
using HcmCity.Sites.Devices;
using HcmCity.Sites.Simulator;
using HcmCity.Sites.Telemetry;
using HcmCity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcmCity.Sites.Tests.Simulator;

/// <summary>
/// An embedded platform with the simulator on, as `dotnet run --project src/Silo` starts it, with fewer sites and
/// a day of recordings replayed in 24 s; the sensor files are found in ../shared as a newcomer has them.
/// </summary>
public sealed class SimulatorPlatformFixture : IAsyncLifetime
{
    public PlatformInstance Platform { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Platform = await PlatformInstance.StartAsync(Settings());

    public async ValueTask DisposeAsync() => await Platform.DisposeAsync();

    public static Dictionary<string, string?> Settings(int sites = 4) => new()
    {
        ["Simulator:Enabled"] = "true",
        ["Simulator:Sites"] = sites.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Simulator:Speed"] = "3600",
        ["Simulator:PublishInterval"] = "00:00:00.2",
        ["Simulator:ReconnectDelay"] = "00:00:00.5",
    };
}

/// <summary>The device simulator end to end: demo sites, MQTT devices with their own credentials, grains, API.</summary>
public sealed class SimulatorEmbeddedTests(SimulatorPlatformFixture fixture) : IClassFixture<SimulatorPlatformFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PlatformInstance Platform => fixture.Platform;

    private DeviceSimulator Simulator => Platform.Services.GetRequiredService<DeviceSimulator>();

    private async Task<IReadOnlyList<SimulatedDevice>> DevicesAsync() =>
        await Eventually.ReturnsAsync(() => Task.FromResult(Simulator.Devices.Count > 0 ? Simulator.Devices : null));

    [Fact]
    public async Task Demo_sites_stand_in_several_wards_with_noise_and_dust_sensors_and_one_vibration_and_one_tilt_sensor()
    {
        var devices = await DevicesAsync();
        using var driver = new SiteTestDriver(Platform);

        var listed = (await driver.JsonAsync(HttpMethod.Get, "/api/sites?limit=500", "inspector")).EnumerateArray()
            .Where(s => s.GetProperty("permitNumber").GetString()!.StartsWith("MP-GPXD-", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(4, listed.Count);
        Assert.True(listed.Select(s => s.GetProperty("ward").GetString()).Distinct().Count() >= 2);
        Assert.Equal(listed.Select(s => s.GetProperty("id").GetString()!).Order(), devices.Select(d => d.SiteId).Distinct().Order());
        var kinds = new List<string>();
        foreach (var site in listed)
        {
            var id = site.GetProperty("id").GetString()!;
            var details = await driver.JsonAsync(HttpMethod.Get, $"/api/sites/{id}", "inspector");
            var sensors = details.GetProperty("sensors").EnumerateArray()
                .Select(s => (Id: s.GetProperty("deviceId").GetString()!, Kind: s.GetProperty("kind").GetString()!)).ToList();
            Assert.Contains(sensors, s => s.Kind == "noise");
            Assert.Contains(sensors, s => s.Kind == "pm");
            Assert.Equal(devices.Where(d => d.SiteId == id).Select(d => (d.DeviceId, d.Kind)).Order(), sensors.Order());
            kinds.AddRange(sensors.Select(s => s.Kind));
        }
        Assert.Single(kinds, "vibration");
        Assert.Single(kinds, "tilt");
    }

    [Fact]
    public async Task Replayed_readings_reach_the_charts_and_the_loud_site_raises_a_noise_alert()
    {
        var devices = await DevicesAsync();
        using var driver = new SiteTestDriver(Platform);
        var loud = devices.First(d => d.Activity == SiteActivity.Loud && d.Kind == "noise");
        var dust = devices.First(d => d.Kind == "pm");
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));

        var noiseChart = await ChartAsync(driver, loud.DeviceId, from);
        var laeq = Assert.Single(noiseChart.EnumerateArray());
        Assert.Equal("laeq", laeq.GetProperty("name").GetString());
        // The real file never goes below 38 dB(A): the loud site's gain shows in every reading.
        Assert.All(laeq.GetProperty("points").EnumerateArray(), p =>
            Assert.InRange(p.GetProperty("min").GetDouble(), 38 + SiteActivity.Loud.NoiseGainDb, 194));
        var dustChart = await ChartAsync(driver, dust.DeviceId, from);
        Assert.Equal(["pm10", "pm25"], dustChart.EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order());

        var site = await Eventually.ReturnsAsync(async () =>
        {
            var details = await driver.JsonAsync(HttpMethod.Get, $"/api/sites/{loud.SiteId}", "inspector");
            return details.GetProperty("openAlerts").EnumerateArray().Any(a => a.GetProperty("metric").GetString() == "laeq")
                ? details.GetRawText()
                : null;
        });
        var root = JsonDocument.Parse(site).RootElement;
        Assert.Equal("violation", root.GetProperty("status").GetString());
        var alert = root.GetProperty("openAlerts").EnumerateArray().First(a => a.GetProperty("metric").GetString() == "laeq");
        Assert.Equal(loud.DeviceId, alert.GetProperty("deviceId").GetString());
        Assert.True(alert.GetProperty("value").GetDouble() > alert.GetProperty("limit").GetDouble());

        var metrics = Platform.Services.GetRequiredService<GatewayMetrics>();
        Assert.All(devices, d => Assert.Equal((0L, 0L), (metrics.RejectedFor(d.DeviceId), metrics.UnknownFor(d.DeviceId))));
    }

    [Fact]
    public async Task Devices_reconnect_with_their_credentials_after_the_broker_restarts()
    {
        var devices = await DevicesAsync();
        await Eventually.TrueAsync(() => devices.All(d => d.IsConnected && d.Published > 0));
        var broker = Platform.Services.GetServices<IHostedService>().OfType<EmbeddedBroker>().Single();
        var metrics = Platform.Services.GetRequiredService<GatewayMetrics>();

        await broker.StopAsync(Ct);
        await Eventually.TrueAsync(() => devices.All(d => !d.IsConnected));
        var publishedWhileDown = devices.ToDictionary(d => d.DeviceId, d => d.Published);
        await broker.StartAsync(Ct);
        var acceptedAtRestart = metrics.Accepted;

        await Eventually.TrueAsync(() => devices.All(d => d.IsConnected && d.Published > publishedWhileDown[d.DeviceId]));
        await Eventually.TrueAsync(() => metrics.Accepted > acceptedAtRestart);
    }

    private static async Task<JsonElement> ChartAsync(SiteTestDriver driver, string deviceId, string from)
    {
        var chart = await Eventually.ReturnsAsync(async () =>
        {
            var readings = await driver.JsonAsync(HttpMethod.Get, $"/api/sensors/{deviceId}/readings?from={from}&every=1h", "inspector");
            return readings.GetProperty("series").EnumerateArray().Any(s => s.GetProperty("points").GetArrayLength() > 0)
                ? readings.GetRawText()
                : null;
        });
        return JsonDocument.Parse(chart).RootElement.GetProperty("series").Clone();
    }
}

/// <summary>A newcomer without ../shared: the simulator starts on synthetic series and the city is live all the same.</summary>
public sealed class SimulatorWithoutDataTests
{
    [Fact]
    public async Task Without_the_sensor_files_synthetic_devices_publish_readings_the_sensors_take()
    {
        var settings = SimulatorPlatformFixture.Settings(sites: 2);
        settings["Simulator:NoiseCsv"] = "/nonexistent/noise.csv";
        settings["Simulator:DustCsv"] = "/nonexistent/dust.csv";
        await using var platform = await PlatformInstance.StartAsync(settings);
        var simulator = platform.Services.GetRequiredService<DeviceSimulator>();
        var metrics = platform.Services.GetRequiredService<GatewayMetrics>();

        await Eventually.TrueAsync(() => simulator.Devices.Count > 0 && simulator.Devices.All(d => d.Published > 0));
        var devices = simulator.Devices;
        Assert.Equal(2, devices.Select(d => d.SiteId).Distinct().Count());
        Assert.Equal(["noise", "noise", "pm", "pm", "tilt", "vibration"], devices.Select(d => d.Kind).Order());

        using var driver = new SiteTestDriver(platform);
        var noise = devices.First(d => d.Kind == "noise");
        await Eventually.ReturnsAsync(async () =>
        {
            var readings = await driver.JsonAsync(HttpMethod.Get, $"/api/sensors/{noise.DeviceId}/readings?every=1h", "inspector");
            return readings.GetProperty("series").GetArrayLength() > 0 ? readings.GetRawText() : null;
        });
        Assert.True(metrics.Accepted > 0);
        Assert.All(devices, d => Assert.Equal(0, metrics.RejectedFor(d.DeviceId)));
    }
}
