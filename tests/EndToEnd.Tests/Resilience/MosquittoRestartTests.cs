using HcmCity.Sites.Telemetry;
using HcmCity.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>
/// The MQTT broker dies (SIGKILL) and restarts while a device is publishing: device and gateway reconnect by
/// themselves and every reading the broker acknowledged (QoS 1 PUBACK) reaches InfluxDB. The broker is a private
/// mosquitto (<see cref="PrivateMosquitto"/>), so the shared one other tests use is never restarted.
/// </summary>
public sealed class MosquittoRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_the_broker_is_killed_and_restarted_every_acknowledged_reading_is_delivered()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await ResilienceDriver.Influx().EnsureDatabaseAsync(Ct);
        await using var broker = await PrivateMosquitto.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        // The production default, one gateway with a plain subscription (GatewayOptions.SharedGroup says why).
        await using var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(database.ConnectionString,
            new Dictionary<string, string?> { ["ConnectionStrings:Mqtt"] = broker.HostPort }));
        var ingestion = platform.Services.GetRequiredService<MqttIngestionService>();
        var metrics = platform.Services.GetRequiredService<GatewayMetrics>();
        await Eventually.TrueAsync(() => ingestion.IsConnected);
        // The gateway's persistent session (its subscription) is saved before the kill, as on a broker that has run a while.
        var subscribedAt = DateTime.UtcNow;
        await Eventually.TrueAsync(() => File.Exists(broker.PersistenceFile) && File.GetLastWriteTimeUtc(broker.PersistenceFile) > subscribedAt.AddSeconds(1));

        var deviceId = $"mqtt{Guid.NewGuid():N}"[..20];
        var device = new Device(broker.HostPort, deviceId, Packs: 40, PerPack: 5);
        var publishing = Task.Run(device.RunAsync, Ct);
        await Eventually.TrueAsync(() => device.Acknowledged >= 10 || publishing.IsCompleted);
        Assert.False(publishing.IsCompleted, "the device should still be publishing when the broker dies");

        await broker.KillAsync();
        await Eventually.TrueAsync(() => device.Failures > 0);
        await broker.RestartAsync();

        await publishing;
        Assert.Equal(40, device.Acknowledged);
        try
        {
            await Eventually.ReturnsAsync(async () => await ResilienceDriver.CountAsync(deviceId) == 40 * 5 ? "all" : null);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"InfluxDB holds {await ResilienceDriver.CountAsync(deviceId)} of the {40 * 5} acknowledged readings; " +
                $"the gateway accepted {metrics.Accepted}, is connected: {ingestion.IsConnected}; failed publications: {device.Failures}");
        }
        Assert.True(ingestion.IsConnected);
        Assert.True(metrics.Accepted >= 40 * 5);
    }

    [Fact]
    public async Task After_the_broker_is_killed_and_restarted_a_gateway_in_a_shared_group_receives_telemetry_again()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await ResilienceDriver.Influx().EnsureDatabaseAsync(Ct);
        await using var broker = await PrivateMosquitto.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        await using var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(database.ConnectionString,
            new Dictionary<string, string?> { ["ConnectionStrings:Mqtt"] = broker.HostPort, ["Gateway:SharedGroup"] = $"grp{Guid.NewGuid():N}" }));
        var ingestion = platform.Services.GetRequiredService<MqttIngestionService>();
        var metrics = platform.Services.GetRequiredService<GatewayMetrics>();
        await Eventually.TrueAsync(() => ingestion.IsConnected);
        var subscribedAt = DateTime.UtcNow;
        await Eventually.TrueAsync(() => File.Exists(broker.PersistenceFile) && File.GetLastWriteTimeUtc(broker.PersistenceFile) > subscribedAt.AddSeconds(1));
        var deviceId = $"shrd{Guid.NewGuid():N}"[..20];
        var first = DateTimeOffset.UtcNow.AddMinutes(-5);
        await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, "any", [ResilienceDriver.Pack(deviceId, first, 5)]);
        await Eventually.TrueAsync(() => metrics.Accepted == 5);

        await broker.KillAsync();
        await Eventually.TrueAsync(() => !ingestion.IsConnected);
        await broker.RestartAsync();

        // The broker restores the gateway's session from its file; the gateway must still get what devices send now.
        // (Until it has subscribed again a pack may be dropped, so one more is sent each round until one arrives.)
        var pack = 0;
        await Eventually.ReturnsAsync(async () =>
        {
            await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, "any", [ResilienceDriver.Pack(deviceId, first.AddSeconds(++pack), 5)]);
            await Task.Delay(300, Ct);
            return metrics.Accepted > 5 ? "delivered" : null;
        });
        Assert.True(ingestion.IsConnected);
    }

    /// <summary>
    /// A device with a persistent session publishing packs one after another with QoS 1; a pack counts once the
    /// broker acknowledged it, and one that was not is sent again after reconnecting.
    /// </summary>
    private sealed class Device(string hostPort, string deviceId, int Packs, int PerPack)
    {
        private int _acknowledged;
        private int _failures;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public int Failures => Volatile.Read(ref _failures);

        public async Task RunAsync()
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var options = ResilienceDriver.DeviceOptions(hostPort, deviceId, "any", cleanStart: false);
            var first = DateTimeOffset.UtcNow.AddMinutes(-5);
            while (_acknowledged < Packs)
            {
                Ct.ThrowIfCancellationRequested();
                try
                {
                    if (!client.IsConnected)
                    {
                        await client.ConnectAsync(options, Ct);
                    }
                    var pack = ResilienceDriver.Pack(deviceId, first.AddSeconds(_acknowledged), PerPack);
                    var result = await client.PublishAsync(ResilienceDriver.Message(deviceId, pack), Ct);
                    if (result.IsSuccess)
                    {
                        Interlocked.Increment(ref _acknowledged);
                        await Task.Delay(20, Ct);
                        continue;
                    }
                    // Dropped by the broker (no subscription yet): not accepted, so sent again.
                    Interlocked.Increment(ref _failures);
                }
                catch (Exception e) when (e is not OperationCanceledException || !Ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failures);
                }
                await Task.Delay(200, Ct);
            }
            await client.DisconnectAsync(cancellationToken: Ct);
        }
    }
}
