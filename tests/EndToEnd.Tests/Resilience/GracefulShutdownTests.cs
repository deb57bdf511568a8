using HcmCity.Sites.Telemetry;
using HcmCity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>Stopping the platform while readings wait in the gateway's batch writes them before the process ends.</summary>
public sealed class GracefulShutdownTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stopping_the_platform_writes_the_readings_still_in_the_gateways_batch()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await ResilienceDriver.Influx().EnsureDatabaseAsync(Ct);
        // A broker of its own: every production platform running in parallel subscribes to all telemetry on the
        // shared broker, in its own group, and would write these readings to InfluxDB before this one stops.
        await using var broker = await PrivateMosquitto.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        // A flush interval far beyond the test: accepted readings stay in the batch until the platform stops.
        var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Mqtt"] = broker.HostPort,
                ["Gateway:FlushInterval"] = "00:10:00",
                ["Gateway:BatchSize"] = "100000",
            }));
        const int Packs = 20, PerPack = 10;
        var deviceId = $"stop{Guid.NewGuid():N}"[..20];
        try
        {
            var metrics = platform.Services.GetRequiredService<GatewayMetrics>();
            const string secret = "any";
            await Eventually.TrueAsync(() => platform.Services.GetRequiredService<MqttIngestionService>().IsConnected);
            var start = DateTimeOffset.UtcNow.AddMinutes(-3);
            await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, secret,
                Enumerable.Range(0, Packs).Select(p => ResilienceDriver.Pack(deviceId, start.AddSeconds(p), PerPack)));

            await Eventually.TrueAsync(() => metrics.Accepted == Packs * PerPack);
            Assert.Equal(0, metrics.Written);
            Assert.Equal(0, await ResilienceDriver.CountAsync(deviceId));
        }
        finally
        {
            await platform.DisposeAsync();
        }

        // Written during the stop, not eventually afterwards.
        Assert.Equal(Packs * PerPack, await ResilienceDriver.CountAsync(deviceId));
    }
}
