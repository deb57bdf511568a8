using HcmCity.Sites.Telemetry;
using HcmCity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>
/// InfluxDB goes away while devices keep sending: the gateway keeps what it accepted on disk (bounded) and writes it
/// when InfluxDB is back. The outage is a relay the test cuts (<see cref="TcpProxy"/>); the shared InfluxDB stays up.
/// </summary>
public sealed class InfluxOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readings_accepted_while_influxdb_is_down_wait_on_disk_and_are_all_written_when_it_is_back()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await ResilienceDriver.Influx().EnsureDatabaseAsync(Ct);
        await using var proxy = new TcpProxy(TestServices.Influx.Host, TestServices.Influx.Port);
        var bufferDirectory = Directory.CreateTempSubdirectory("hcm-influx-buffer-").FullName;
        try
        {
            // A broker of its own: every production platform running in parallel subscribes to all telemetry on the
            // shared broker, in its own group, and would write these readings to InfluxDB past this test's relay.
            await using var broker = await PrivateMosquitto.StartAsync();
            await using var database = await PostgresDatabase.CreateAsync(Ct);
            await using var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(database.ConnectionString,
                new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Mqtt"] = broker.HostPort,
                    ["ConnectionStrings:Influx"] = $"http://127.0.0.1:{proxy.Port}",
                    ["Gateway:BufferDirectory"] = bufferDirectory,
                    ["Gateway:BufferRetryInterval"] = "00:00:00.300",
                }));
            var metrics = platform.Services.GetRequiredService<GatewayMetrics>();
            var buffer = platform.Services.GetRequiredService<InfluxWriteBuffer>();
            Assert.Equal(bufferDirectory, buffer.Directory);
            var deviceId = $"infl{Guid.NewGuid():N}"[..20];
            const string secret = "any";

            proxy.Block();
            const int Packs = 12, PerPack = 25;
            var start = DateTimeOffset.UtcNow.AddMinutes(-2);
            await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, secret,
                Enumerable.Range(0, Packs).Select(p => ResilienceDriver.Pack(deviceId, start.AddSeconds(p), PerPack)));

            // Every accepted reading is on disk, none reached InfluxDB.
            await Eventually.TrueAsync(() => metrics.Buffered == Packs * PerPack);
            Assert.NotEmpty(Directory.GetFiles(bufferDirectory, "*.lp"));
            Assert.True(buffer.Bytes > 0);
            Assert.Equal(0, await ResilienceDriver.CountAsync(deviceId));

            proxy.Unblock();

            await Eventually.ReturnsAsync(async () => await ResilienceDriver.CountAsync(deviceId) == Packs * PerPack ? "all" : null);
            await Eventually.TrueAsync(() => buffer.Batches == 0);
            Assert.Empty(Directory.GetFiles(bufferDirectory, "*.lp*"));
            Assert.Equal(0, buffer.Bytes);
            Assert.Equal(Packs * PerPack, metrics.Replayed);
            Assert.Equal(0, metrics.BufferDropped);
        }
        finally
        {
            Directory.Delete(bufferDirectory, recursive: true);
        }
    }
}
