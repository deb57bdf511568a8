using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Abstractions.Parcels;
using HcmCity.Sites.Telemetry;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.EndToEnd.Tests.Platform;

/// <summary>What a newcomer gets from `dotnet run --project src/Silo`: the whole platform in one process.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class EmbeddedPlatformTests(EmbeddedPlatformFixture fixture)
{
    private PlatformInstance Platform => fixture.Platform;

    [Fact]
    public async Task Ready_health_is_green_with_the_gateway_connected_to_the_embedded_broker()
    {
        var ready = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await Platform.Http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        });
        using var json = JsonDocument.Parse(ready);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("mqtt").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Live_health_answers_without_dependencies()
    {
        using var response = await Platform.Http.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Map_page_and_its_maplibre_module_are_served()
    {
        var ct = TestContext.Current.CancellationToken;
        using var page = await Platform.Http.GetAsync("/", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(ct);
        Assert.Contains("HcmCity", html, StringComparison.Ordinal);

        using var module = await Platform.Http.GetAsync("/vendor/maplibre-gl/maplibre-gl.mjs", ct);
        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Orleans_dashboard_requires_the_admin_role()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = await Platform.Http.GetAsync("/dashboard/", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var asOfficer = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        asOfficer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await DemoTokenAsync("officer"));
        using var forbidden = await Platform.Http.SendAsync(asOfficer, ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var asAdmin = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        asAdmin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await DemoTokenAsync("admin"));
        using var allowed = await Platform.Http.SendAsync(asAdmin, ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Demo_sign_in_rejects_an_unknown_role_naming_the_field()
    {
        using var response = await Platform.Http.PostAsJsonAsync("/api/auth/demo-token", new { role = "mayor" },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Fact]
    public async Task Prometheus_metrics_include_http_and_orleans_instruments()
    {
        var ct = TestContext.Current.CancellationToken;
        (await Platform.Http.GetAsync("/health/live", ct)).Dispose();
        var metrics = await Eventually.ReturnsAsync(async () =>
        {
            var text = await Platform.Http.GetStringAsync("/metrics", ct);
            return text.Contains("http_server_request_duration", StringComparison.Ordinal)
                && text.Contains("orleans_", StringComparison.Ordinal) ? text : null;
        });
        Assert.Contains("http_server_request_duration", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parcel_grain_serves_a_seeded_land_record_and_remembers_attached_permits()
    {
        var store = Platform.Services.GetRequiredService<IParcelStore>();
        var first = (await store.SearchAsync(new ParcelQuery(Limit: 1), TestContext.Current.CancellationToken)).Items.Single();
        var grain = Platform.Services.GetRequiredService<IGrainFactory>().GetGrain<IParcelGrain>(first.Id);

        var summary = await grain.GetAsync();
        Assert.NotNull(summary);
        Assert.Equal(first.Key.Sheet, summary.Sheet);
        Assert.Equal(first.Key.Number, summary.Number);

        await grain.AttachPermitAsync("GP-2026-0001");
        await grain.AttachPermitAsync("GP-2026-0001");
        Assert.Equal(["GP-2026-0001"], (await grain.GetLinksAsync()).Permits);
        Assert.Null(await Platform.Services.GetRequiredService<IGrainFactory>().GetGrain<IParcelGrain>(long.MaxValue).GetAsync());
    }

    [Fact]
    public async Task Embedded_broker_carries_device_telemetry_to_the_gateway_and_counts_bad_packs()
    {
        var ct = TestContext.Current.CancellationToken;
        var metrics = Platform.Services.GetRequiredService<GatewayMetrics>();
        var accepted = metrics.Accepted;
        using var driver = new SiteTestDriver(Platform);
        var parcel = (await Platform.Services.GetRequiredService<IParcelStore>().SearchAsync(new ParcelQuery(Unit: SiteTestDriver.DefaultUnit, Limit: 1), ct)).Items[0];
        var site = await driver.RegisterSiteAsync(parcel.Id);
        var credentials = await driver.ProvisionAsync(site.GetProperty("id").GetString()!, "noise");
        var deviceId = credentials.DeviceId;
        using var device = await SiteTestDriver.ConnectDeviceAsync($"127.0.0.1:{Platform.MqttPort}", credentials);
        var topic = $"hcm/devices/{deviceId}/telemetry";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic)
            .WithPayload($$"""[{"bn":"urn:dev:hcm:{{deviceId}}:","bt":{{now}},"n":"laeq","u":"dB","v":67.3},{"n":"laeq","u":"dB","v":68.1,"t":1}]""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{not json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);

        await Eventually.TrueAsync(() => metrics.Accepted >= accepted + 2 && metrics.RejectedFor(deviceId) == 1);
        Assert.Equal(1, metrics.RejectedFor(deviceId));
    }

    private Task<string> DemoTokenAsync(string role) => Platform.Http.DemoTokenAsync(role);
}
