using System.Net;
using System.Text.Json;
using HcmCity.Sites.Telemetry;
using HcmCity.Testing;
using HcmCity.Sites.Influx;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.EndToEnd.Tests.Platform;

/// <summary>
/// The platform in production mode against the real services: Redis clustering and storage, PostgreSQL+PostGIS,
/// mosquitto and InfluxDB.
/// </summary>
public sealed class ProductionPlatformTests
{
    [Fact]
    public async Task Production_mode_is_ready_and_carries_telemetry_from_mosquitto_into_influxdb()
    {
        var ct = TestContext.Current.CancellationToken;
        await TestServices.RequireTcpAsync("mosquitto", TestServices.Mqtt, ct);
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, ct);
        await using var database = await PostgresDatabase.CreateAsync(ct);
        await using var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(database.ConnectionString));
        await platform.Services.GetRequiredService<InfluxClient>().EnsureDatabaseAsync(ct);

        var ready = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await platform.Http.GetAsync("/health/ready", ct);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(ct) : null;
        });
        using (var health = JsonDocument.Parse(ready))
        {
            var checks = health.RootElement.GetProperty("checks");
            foreach (var dependency in new[] { "postgres", "influxdb", "mqtt" })
            {
                Assert.Equal("Healthy", checks.GetProperty(dependency).GetProperty("status").GetString());
            }
        }

        // A broker account only (no sensor record): the time-series store takes readings of any device mosquitto lets in.
        var deviceId = $"prod{Guid.NewGuid():N}"[..20];
        var secret = HcmCity.Sites.Records.SensorSecrets.NewSecret();
        await platform.Services.GetRequiredService<HcmCity.Sites.Records.IDeviceAccess>().GrantAsync(deviceId, secret, ct);
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        var (host, port) = HcmCity.ServiceDefaults.PlatformConfiguration.HostPort(TestServices.Mqtt);
        using var device = new MqttClientFactory().CreateMqttClient();
        // A device's client id is its device id: mosquitto refuses its account under any other.
        await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId(deviceId).WithCredentials(deviceId, secret).Build(), ct);
        await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"hcm/devices/{deviceId}/telemetry")
            .WithPayload($$"""[{"bn":"urn:dev:hcm:{{deviceId}}:","bt":{{at.ToUnixTimeSeconds()}},"n":"pm10","u":"ug/m3","v":123.4}]""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        await device.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"hcm/devices/{deviceId}/telemetry")
            .WithPayload($$"""[{"bn":"urn:dev:hcm:{{deviceId}}:","n":"pm10","u":"ug/m3","v":1999.9}]""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);

        var influx = platform.Services.GetRequiredService<InfluxClient>();
        var series = await Eventually.ReturnsAsync(async () =>
        {
            var result = await influx.QueryAsync(
                $"SELECT \"value\" FROM \"telemetry\" WHERE \"device\" = '{deviceId}' AND \"name\" = 'pm10'", ct);
            return result.Count > 0 ? result : null;
        });
        var row = Assert.Single(series[0].Rows);
        Assert.Equal(at.ToUnixTimeSeconds() * 1000, Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(123.4, (double)row[1]!, 3);
        var metrics = platform.Services.GetRequiredService<GatewayMetrics>();
        await Eventually.TrueAsync(() => metrics.RejectedFor(deviceId) == 1);
    }
}
