using System.Net;
using System.Text.Json;
using HcmCity.Sites.Telemetry;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Sites.Tests.Sites;

/// <summary>An embedded platform whose sensors go offline after 3 s of silence.</summary>
public sealed class SitesPlatformFixture : IAsyncLifetime
{
    public PlatformInstance Platform { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
    {
        ["Sites:Monitoring:OfflineAfter"] = "00:00:03",
    });

    public async ValueTask DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>Site monitoring end to end in embedded mode: HTTP API, embedded MQTT broker, grains, SignalR.</summary>
public sealed class SitesEmbeddedTests(SitesPlatformFixture fixture) : IClassFixture<SitesPlatformFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PlatformInstance Platform => fixture.Platform;

    private string Broker => $"127.0.0.1:{Platform.MqttPort}";

    private async Task<Parcel> AnyParcelAsync(int skip = 0) =>
        (await Platform.Services.GetRequiredService<IParcelStore>().SearchAsync(new ParcelQuery(Unit: SiteTestDriver.DefaultUnit, Limit: 1, Offset: skip), Ct)).Items[0];

    [Fact]
    public async Task Noise_over_the_limit_raises_an_alert_pushed_live_that_an_inspector_acknowledges_and_resolves_then_silence_is_offline()
    {
        using var driver = new SiteTestDriver(Platform);
        var parcel = await AnyParcelAsync(3);
        var site = await driver.RegisterSiteAsync(parcel.Id);
        var siteId = site.GetProperty("id").GetString()!;
        var device = await driver.ProvisionAsync(siteId, "noise");
        var deviceId = device.DeviceId;
        await using var live = await driver.ConnectAsync("inspector");
        await live.Connection.InvokeAsync("SubscribeSite", siteId, Ct);

        var now = DateTimeOffset.UtcNow;
        await SiteTestDriver.PublishAsync(Broker, device,
            SiteTestDriver.Senml(deviceId, "dBA", ("laeq", 88.0, now.AddSeconds(-3)), ("laeq", 90.0, now.AddSeconds(-2)), ("laeq", 89.0, now.AddSeconds(-1))));

        var alert = await live.WaitForAsync("alert", m => m.GetProperty("metric").GetString() == "laeq");
        await live.WaitForAsync("siteStatus", m => m.GetProperty("status").GetString() == "violation");
        Assert.Equal(siteId, alert.GetProperty("siteId").GetString());
        Assert.Equal(deviceId, alert.GetProperty("deviceId").GetString());
        Assert.Equal("raised", alert.GetProperty("state").GetString());
        Assert.True(alert.GetProperty("value").GetDouble() > 88);
        var alertId = alert.GetProperty("id").GetString()!;

        var details = await driver.JsonAsync(HttpMethod.Get, $"/api/sites/{siteId}", "inspector");
        Assert.Contains(details.GetProperty("openAlerts").EnumerateArray(), a => a.GetProperty("id").GetString() == alertId);

        using (var asOfficer = await driver.SendAsync(HttpMethod.Post, $"/api/alerts/{alertId}/acknowledge", "officer"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, asOfficer.StatusCode);
        }
        var acknowledged = await driver.JsonAsync(HttpMethod.Post, $"/api/alerts/{alertId}/acknowledge", "inspector");
        Assert.Equal("acknowledged", acknowledged.GetProperty("state").GetString());
        Assert.Equal("demo-inspector", acknowledged.GetProperty("acknowledgedBy").GetString());
        using (var twice = await driver.SendAsync(HttpMethod.Post, $"/api/alerts/{alertId}/acknowledge", "inspector"))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }
        var resolved = await driver.JsonAsync(HttpMethod.Post, $"/api/alerts/{alertId}/resolve", "inspector");
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal("demo-inspector", resolved.GetProperty("resolvedBy").GetString());
        Assert.True(resolved.GetProperty("resolvedAt").GetDateTimeOffset() >= resolved.GetProperty("acknowledgedAt").GetDateTimeOffset());
        await live.WaitForAsync("alert", m => m.GetProperty("id").GetString() == alertId && m.GetProperty("state").GetString() == "resolved");

        // The sensor says nothing more: after the 3 s silence it is offline, with an alert of its own.
        var offline = await live.WaitForAsync("alert", m => m.GetProperty("metric").GetString() == "offline");
        Assert.Equal(deviceId, offline.GetProperty("deviceId").GetString());
        await live.WaitForAsync("siteStatus", m => m.GetProperty("status").GetString() == "offline");
        var after = await driver.JsonAsync(HttpMethod.Get, $"/api/sites/{siteId}", "inspector");
        Assert.Equal("offline", after.GetProperty("status").GetString());
        Assert.True(Assert.Single(after.GetProperty("sensors").EnumerateArray()).GetProperty("offline").GetBoolean());
        Assert.DoesNotContain(after.GetProperty("openAlerts").EnumerateArray(), a => a.GetProperty("id").GetString() == alertId);
    }

    [Fact]
    public async Task Bad_readings_are_counted_per_device_and_never_change_a_site_while_good_ones_reach_the_chart()
    {
        using var driver = new SiteTestDriver(Platform);
        var site = await driver.RegisterSiteAsync((await AnyParcelAsync(5)).Id, zone: "special");
        var siteId = site.GetProperty("id").GetString()!;
        var device = await driver.ProvisionAsync(siteId, "noise");
        var deviceId = device.DeviceId;
        await using var live = await driver.ConnectAsync("inspector");
        await live.Connection.InvokeAsync("SubscribeSite", siteId, Ct);
        var now = DateTimeOffset.UtcNow;
        var loud = ("laeq", 120.0, now);

        await SiteTestDriver.PublishAsync(Broker, device,
            "[{\"bn\":\"urn:dev:hcm:" + deviceId + ":\",\"n\":\"laeq\",\"v\":",
            SiteTestDriver.Senml(deviceId, "dBA", ("laeq", 500.0, now), ("laeq", 500.0, now), ("laeq", 500.0, now)),
            SiteTestDriver.Senml(deviceId, "dBA", ("noise", 120.0, now), ("noise", 120.0, now), ("noise", 120.0, now)),
            SiteTestDriver.Senml(deviceId, "ug/m3", loud, loud, loud),
            SiteTestDriver.Senml(deviceId, "dBA", ("laeq", 40.0, now.AddSeconds(-2)), ("laeq", 42.0, now.AddSeconds(-1))));

        var metrics = Platform.Services.GetRequiredService<GatewayMetrics>();
        await Eventually.TrueAsync(() => metrics.RejectedFor(deviceId) == 4);
        var chart = await Eventually.ReturnsAsync(async () =>
        {
            var readings = await driver.JsonAsync(HttpMethod.Get,
                $"/api/sensors/{deviceId}/readings?from={Uri.EscapeDataString(now.AddMinutes(-5).ToString("O"))}&every=1h", "inspector");
            return readings.GetProperty("series").GetArrayLength() > 0 ? readings.GetRawText() : null;
        });
        var series = Assert.Single(JsonDocument.Parse(chart).RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal("laeq", series.GetProperty("name").GetString());
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(2, points.Sum(p => p.GetProperty("count").GetInt64()));
        Assert.Equal(42, points.Max(p => p.GetProperty("max").GetDouble()));

        var details = await driver.JsonAsync(HttpMethod.Get, $"/api/sites/{siteId}", "inspector");
        Assert.DoesNotContain(details.GetProperty("openAlerts").EnumerateArray(), a => a.GetProperty("metric").GetString() != "offline");
        Assert.Empty(Assert.Single(details.GetProperty("sensors").EnumerateArray()).GetProperty("metrics").EnumerateArray());
        Assert.DoesNotContain(live.Received, r => r.Kind == "siteStatus" && r.Message.GetProperty("status").GetString() is "violation" or "warning");
    }

    [Fact]
    public async Task Readings_of_an_unprovisioned_device_are_counted_and_dropped()
    {
        // The broker lets no such device in; readings reaching the pipeline anyway (a broker without access
        // control, a device revoked in flight) are dropped by the Sensor grains.
        var deviceId = $"ghost{Guid.NewGuid():N}"[..16];
        var metrics = Platform.Services.GetRequiredService<GatewayMetrics>();
        var now = DateTimeOffset.UtcNow;

        await Platform.Services.GetRequiredService<ReadingPipeline>().EnqueueAsync(
            [new(deviceId, "laeq", 99.0, now.AddSeconds(-1)), new(deviceId, "laeq", 98.0, now)], Ct);

        await Eventually.TrueAsync(() => metrics.UnknownFor(deviceId) == 2);
        Assert.Equal(0, metrics.RejectedFor(deviceId));
    }

    [Fact]
    public async Task Registration_fills_national_limits_by_zone_and_shows_sensor_credentials_once()
    {
        using var driver = new SiteTestDriver(Platform);
        var parcel = await AnyParcelAsync(7);
        var special = await driver.RegisterSiteAsync(parcel.Id, zone: "special");
        var custom = await driver.JsonAsync(HttpMethod.Post, "/api/sites", "officer", new
        {
            permitNumber = "GPXD-9/2026",
            parcelId = parcel.Id,
            zone = "normal",
            conditions = new { noiseDayDb = 65.0, tiltWarningDeg = 0.3, tiltStopDeg = 0.6, dayStart = "07:00" },
        });
        var siteId = special.GetProperty("id").GetString()!;
        var sensor = await driver.JsonAsync(HttpMethod.Post, $"/api/sites/{siteId}/sensors", "officer", new { kind = "pm" });

        var conditions = special.GetProperty("conditions");
        Assert.Equal((55.0, 45.0), (conditions.GetProperty("noiseDayDb").GetDouble(), conditions.GetProperty("noiseNightDb").GetDouble()));
        Assert.Equal((100.0, 45.0, 75.0), (conditions.GetProperty("pm10DayUg").GetDouble(), conditions.GetProperty("pm25DayUg").GetDouble(), conditions.GetProperty("vibrationDayDb").GetDouble()));
        Assert.Equal(parcel.Key.Unit, special.GetProperty("ward").GetString());
        Assert.Equal("ok", special.GetProperty("status").GetString());
        var customConditions = custom.GetProperty("conditions");
        Assert.Equal((65.0, 55.0, 0.6), (customConditions.GetProperty("noiseDayDb").GetDouble(), customConditions.GetProperty("noiseNightDb").GetDouble(), customConditions.GetProperty("tiltStopDeg").GetDouble()));
        Assert.Equal("07:00:00", customConditions.GetProperty("dayStart").GetString());

        var deviceId = sensor.GetProperty("deviceId").GetString()!;
        var mqtt = sensor.GetProperty("mqtt");
        Assert.Equal(deviceId, mqtt.GetProperty("username").GetString());
        Assert.Equal($"hcm/devices/{deviceId}/telemetry", mqtt.GetProperty("topic").GetString());
        var secret = mqtt.GetProperty("password").GetString()!;
        var credentials = Platform.Services.GetRequiredService<HcmCity.Sites.Records.ISensorCredentials>();
        Assert.True(await credentials.VerifyAsync(deviceId, secret, Ct));
        Assert.False(await credentials.VerifyAsync(deviceId, secret[..^1], Ct));
        var details = await driver.JsonAsync(HttpMethod.Get, $"/api/sites/{siteId}", "inspector");
        Assert.DoesNotContain(secret, details.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("pm", Assert.Single(details.GetProperty("sensors").EnumerateArray()).GetProperty("kind").GetString());

        var inWard = await driver.JsonAsync(HttpMethod.Get, $"/api/sites?ward={parcel.Key.Unit}", "inspector");
        Assert.Contains(inWard.EnumerateArray(), s => s.GetProperty("id").GetString() == siteId);
        var lon = special.GetProperty("lon").GetDouble();
        var lat = special.GetProperty("lat").GetDouble();
        var inBox = await driver.JsonAsync(HttpMethod.Get, FormattableString.Invariant($"/api/sites?bbox={lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"), "inspector");
        Assert.Contains(inBox.EnumerateArray(), s => s.GetProperty("id").GetString() == siteId);
        var farAway = await driver.JsonAsync(HttpMethod.Get, "/api/sites?bbox=105,20,105.1,20.1", "inspector");
        Assert.Empty(farAway.EnumerateArray());
    }

    [Theory]
    [InlineData("""{"permitNumber":"GP-1","parcelId":1,"zone":"quiet"}""", "zone")]
    [InlineData("""{"parcelId":1,"zone":"normal"}""", "permitNumber")]
    [InlineData("""{"permitNumber":"GP-1","zone":"normal"}""", "parcelId")]
    [InlineData("""{"permitNumber":"GP-1","parcelId":999999999,"zone":"normal"}""", "parcelId")]
    [InlineData("""{"permitNumber":"GP-1","parcelId":1,"zone":"normal","conditions":{"noiseDayDb":-3}}""", "conditions.noiseDayDb")]
    [InlineData("""{"permitNumber":"GP-1","parcelId":1,"zone":"normal","conditions":{"nightStart":"25:00"}}""", "conditions.nightStart")]
    [InlineData("""{"permitNumber":"GP-1","parcelId":1,"zone":"normal","footprint":{"type":"Point","coordinates":[106.7,10.7]}}""", "footprint")]
    [InlineData("""{"permitNumber":"GP-1","parcelId":1,"zone":"normal","footprint":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}""", "footprint")]
    public async Task Bad_registrations_are_400_problems_naming_the_field(string body, string field)
    {
        using var driver = new SiteTestDriver(Platform);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sites")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await driver.TokenAsync("officer"));

        using var response = await driver.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Only_officers_register_and_a_bad_sensor_kind_is_named()
    {
        using var driver = new SiteTestDriver(Platform);
        var parcel = await AnyParcelAsync(9);
        using var asCitizen = await driver.SendAsync(HttpMethod.Post, "/api/sites", "citizen", new { permitNumber = "GP-1", parcelId = parcel.Id, zone = "normal" });
        using var anonymous = await driver.SendAsync(HttpMethod.Post, "/api/sites", null, new { permitNumber = "GP-1", parcelId = parcel.Id, zone = "normal" });
        var site = await driver.RegisterSiteAsync(parcel.Id);
        using var badKind = await driver.SendAsync(HttpMethod.Post, $"/api/sites/{site.GetProperty("id").GetString()}/sensors", "officer", new { kind = "radar" });
        using var noSite = await driver.SendAsync(HttpMethod.Post, "/api/sites/site-nope/sensors", "officer", new { kind = "noise" });

        Assert.Equal(HttpStatusCode.Forbidden, asCitizen.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("\"kind\"", await badKind.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noSite.StatusCode);
    }

    [Fact]
    public async Task The_map_hub_is_for_inspectors_only()
    {
        using var driver = new SiteTestDriver(Platform);

        var denied = await Assert.ThrowsAsync<HttpRequestException>(() => driver.ConnectAsync("officer"));
        await using var inspector = await driver.ConnectAsync("inspector");

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HubConnectionState.Connected, inspector.Connection.State);
    }

    [Fact]
    public async Task A_map_area_subscription_receives_the_status_of_sites_inside_it_only()
    {
        using var driver = new SiteTestDriver(Platform);
        var site = await driver.RegisterSiteAsync((await AnyParcelAsync(11)).Id);
        var siteId = site.GetProperty("id").GetString()!;
        var lon = site.GetProperty("lon").GetDouble();
        var lat = site.GetProperty("lat").GetDouble();
        var device = await driver.ProvisionAsync(siteId, "vibration");
        var deviceId = device.DeviceId;
        await using var inside = await driver.ConnectAsync("inspector");
        await using var outside = await driver.ConnectAsync("inspector");
        await inside.Connection.InvokeAsync("SubscribeArea", lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01, Ct);
        await outside.Connection.InvokeAsync("SubscribeArea", lon + 0.5, lat + 0.5, lon + 0.6, lat + 0.6, Ct);
        var bad = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => inside.Connection.InvokeAsync("SubscribeArea", 10.0, 10.0, 5.0, 5.0, Ct));

        var now = DateTimeOffset.UtcNow;
        await SiteTestDriver.PublishAsync(Broker, device,
            SiteTestDriver.Senml(deviceId, "dB", ("vibration", 95.0, now.AddSeconds(-2)), ("vibration", 95.0, now.AddSeconds(-1)), ("vibration", 95.0, now)));

        var status = await inside.WaitForAsync("siteStatus", m => m.GetProperty("siteId").GetString() == siteId);
        Assert.Contains("bbox", bad.Message, StringComparison.Ordinal);
        Assert.Equal(siteId, status.GetProperty("siteId").GetString());
        Assert.DoesNotContain(outside.Received, r => r.Message.GetProperty("siteId").GetString() == siteId);
    }
}
