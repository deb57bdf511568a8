using HcmCity.Testing;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>
/// The gateway dies with SIGKILL while readings it took from the broker wait in its batch: once it is back (same
/// client id, so the same persistent session) every reading reaches InfluxDB. It holds because a telemetry message is
/// acknowledged to the broker only after its readings are written, so the broker sends the unacknowledged ones again.
/// The platform runs as its own process here, since a test cannot SIGKILL its own.
/// </summary>
public sealed class GatewayCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readings_taken_but_not_written_when_the_gateway_is_killed_are_written_after_it_restarts()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await ResilienceDriver.Influx().EnsureDatabaseAsync(Ct);
        await using var broker = await PrivateMosquitto.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        var gatewayId = $"gw-crash-{Guid.NewGuid():N}"[..24];
        const int Packs = 20, PerPack = 10;
        var deviceId = $"crash{Guid.NewGuid():N}"[..20];

        // A flush interval far beyond the test: what the gateway takes stays in its batch, unwritten.
        await using (var first = await PlatformProcess.StartAsync(Settings(database, broker, gatewayId, "00:10:00"), Ct))
        {
            await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, "any",
                Enumerable.Range(0, Packs).Select(p => ResilienceDriver.Pack(deviceId, DateTimeOffset.UtcNow.AddMinutes(-3).AddSeconds(p), PerPack)));
            await Eventually.ReturnsAsync(async () => await first.MetricAsync("hcm_gateway_readings_accepted_total", Ct) == Packs * PerPack ? "taken" : null);
            Assert.Equal(0, await first.MetricAsync("hcm_gateway_readings_written_total", Ct));
            Assert.Equal(0, await ResilienceDriver.CountAsync(deviceId));

            first.Kill();
        }
        Assert.Equal(0, await ResilienceDriver.CountAsync(deviceId));

        await using var second = await PlatformProcess.StartAsync(Settings(database, broker, gatewayId, "00:00:00.050"), Ct);
        try
        {
            await Eventually.ReturnsAsync(async () => await ResilienceDriver.CountAsync(deviceId) == Packs * PerPack ? "all" : null, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"InfluxDB holds {await ResilienceDriver.CountAsync(deviceId)} of the {Packs * PerPack} readings the killed gateway had taken; " +
                $"the restarted one took {await second.MetricAsync("hcm_gateway_readings_accepted_total", Ct)}.\n{second.Stderr}");
        }
        // Sent again by the broker, not found some other way.
        Assert.True(await second.MetricAsync("hcm_gateway_readings_accepted_total", Ct) >= Packs * PerPack);
    }

    private static Dictionary<string, string?> Settings(PostgresDatabase database, PrivateMosquitto broker, string gatewayId, string flushInterval) =>
        PlatformInstance.ProductionSettings(database.ConnectionString, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Mqtt"] = broker.HostPort,
            ["Gateway:ClientId"] = gatewayId,
            ["Gateway:FlushInterval"] = flushInterval,
            ["Gateway:BatchSize"] = "100000",
            ["Gateway:BufferDirectory"] = Path.Combine(Path.GetTempPath(), gatewayId),
            ["LandRecords:SeedParcels"] = "0",
        });
}
