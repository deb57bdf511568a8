using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Testing;
using MQTTnet;
using MQTTnet.Protocol;
using static Microsoft.Playwright.Assertions;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>
/// The inspector's live screen end to end: a real device publishes over MQTT to the embedded broker, the site's
/// grain raises an alert, SignalR pushes it to the signed-in inspector's map, who acknowledges it and opens the
/// sensor's chart.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InspectorScreenTests(BrowserFixture fixture) : BrowserTest(fixture), IDisposable
{
    /// <summary>No cookie jar: the demo sign-in's cookie must not stand in for the bearer token of the next role.</summary>
    private readonly HttpClient _api = new(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.Platform.BaseAddress };

    public void Dispose() => _api.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await _api.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<string> TokenAsync(string role, string? unit = null) => _api.DemoTokenAsync(role, unit);

    /// <summary>A residential parcel near the centre of the map's first view, so its site is inside the followed area.</summary>
    private async Task<(long Id, string Unit)> ParcelInViewAsync()
    {
        var config = await SendAsync(HttpMethod.Get, "/api/map/config", null);
        var lon = config.GetProperty("center")[0].GetDouble();
        var lat = config.GetProperty("center")[1].GetDouble();
        var bbox = string.Create(CultureInfo.InvariantCulture, $"{lon - 0.002},{lat - 0.002},{lon + 0.002},{lat + 0.002}");
        var parcels = await SendAsync(HttpMethod.Get, $"/api/parcels?bbox={bbox}&limit=20", null);
        var properties = parcels.GetProperty("features")[0].GetProperty("properties");
        return (properties.GetProperty("id").GetInt64(), properties.GetProperty("unit").GetString()!);
    }

    /// <summary>Publishes as the provisioned device, with its own credentials, QoS 1.</summary>
    private async Task PublishAsync(JsonElement mqtt, string payload)
    {
        using var device = new MqttClientFactory().CreateMqttClient();
        var username = mqtt.GetProperty("username").GetString()!;
        await device.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Fixture.Platform.MqttPort)
            .WithClientId(username)
            .WithCredentials(username, mqtt.GetProperty("password").GetString())
            .Build(), Ct);
        await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(mqtt.GetProperty("topic").GetString())
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), Ct);
        await device.DisconnectAsync(cancellationToken: Ct);
    }

    [Fact]
    public async Task An_inspector_receives_a_live_alert_from_a_sensor_acknowledges_it_and_opens_its_chart()
    {
        await Browser.SignInAsync("inspector");
        var map = new MapPage(Page);
        await map.GotoAsync(waitForWards: false);
        await Expect(Page.Locator("#work-title")).ToHaveTextAsync("Cảnh báo công trường / Site alerts");
        await Expect(Page.Locator("#work[data-live='connected']")).ToHaveCountAsync(1);

        // An officer registers sites in their own unit only: the unit of the parcel.
        var (parcelId, unit) = await ParcelInViewAsync();
        var officer = await TokenAsync("officer", unit);
        var site = await SendAsync(HttpMethod.Post, "/api/sites", officer,
            new { permitNumber = "GP-KIEM-TRA-01/2026", parcelId, zone = "normal" });
        var siteId = site.GetProperty("id").GetString()!;
        var sensor = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/sensors", officer, new { kind = "noise" });
        var deviceId = sensor.GetProperty("deviceId").GetString()!;
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(sensor.GetProperty("mqtt"), SiteTestDriver.Senml(deviceId, "dBA",
            ("laeq", 92.0, now.AddSeconds(-3)), ("laeq", 94.0, now.AddSeconds(-2)), ("laeq", 93.0, now.AddSeconds(-1))));

        // Pushed, not polled: the toast and the work list show the alert without a reload.
        await Expect(Page.Locator("#alert-toast")).ToContainTextAsync("Tiếng ồn LAeq");
        var alert = Page.Locator("#alert-list li[data-alert]").Filter(new() { HasText = "Tiếng ồn LAeq" });
        await Expect(alert).ToHaveCountAsync(1);
        await Expect(alert).ToContainTextAsync("Mới / Raised");
        // The site is on the map in its violation colour.
        await Page.WaitForFunctionAsync(
            "id => window.hcmcity.map.queryRenderedFeatures({ layers: ['sites-circle'] })"
            + ".some(f => f.properties.id === id && f.properties.status === 'violation')", siteId);
        await Browser.ScreenshotAsync("InspectorScreenTests.alert-pushed");

        await alert.Locator(".ack-button").ClickAsync();

        await Expect(alert).ToContainTextAsync("Đã xác nhận / Acknowledged");
        var details = await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}", officer);
        var stored = Assert.Single(details.GetProperty("openAlerts").EnumerateArray());
        Assert.Equal("acknowledged", stored.GetProperty("state").GetString());
        Assert.Equal("demo-inspector", stored.GetProperty("acknowledgedBy").GetString());

        await alert.GetByText("Xem công trường / Show site").ClickAsync();
        await Expect(map.PanelTitle).ToContainTextAsync("GP-KIEM-TRA-01/2026");
        await Expect(Page.Locator("#site-status")).ToContainTextAsync("Vi phạm / Violation");
        var sensorItem = Page.Locator($"li[data-device='{deviceId}']");
        await sensorItem.Locator(".chart-button").ClickAsync();
        await Expect(sensorItem.Locator("svg.chart path.chart-line")).ToHaveCountAsync(1);
        await Expect(sensorItem.Locator("svg.chart circle.chart-dot").First).ToBeVisibleAsync();
        await Expect(sensorItem.Locator("svg.chart line.chart-limit")).ToHaveCountAsync(1);
    }
}
