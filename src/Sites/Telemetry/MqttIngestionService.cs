using HcmCity.Abstractions.Sensors;
using HcmCity.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HcmCity.Sites.Telemetry;

/// <summary>
/// Subscribes to device telemetry with a persistent MQTT 5 session (QoS 1: nothing published while the gateway
/// restarts is lost), parses each SenML pack and queues its readings. A message is acknowledged only once its
/// readings are written (<see cref="ReadingPipeline"/>), so a gateway that crashes loses none: the broker sends what
/// it has not acknowledged again. Rejected messages are acknowledged at once (counted and logged, never retried).
/// Reconnects by itself.
/// </summary>
public sealed class MqttIngestionService(
    IConfiguration configuration,
    IOptions<GatewayOptions> options,
    ReadingPipeline pipeline,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<MqttIngestionService> logger) : BackgroundService
{
    private IMqttClient? _client;

    // Bumped on every connection: an acknowledgement is sent only on the connection that delivered the message
    // (packet ids belong to it); after a reconnect the broker sends the message again instead.
    private int _connection;

    public bool IsConnected => _client?.IsConnected == true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gateway = options.Value;
        var (host, port) = PlatformConfiguration.HostPort(configuration[PlatformConfiguration.MqttKey]!);
        var factory = new MqttClientFactory();
        using var client = factory.CreateMqttClient();
        _client = client;
        // Attach the handler before connecting: a persistent session delivers queued messages at once.
        client.ApplicationMessageReceivedAsync += async e =>
        {
            var connection = Volatile.Read(ref _connection);
            metrics.Received();
            var topic = e.ApplicationMessage.Topic;
            var deviceId = DeviceIdFrom(topic);
            if (deviceId is null)
            {
                metrics.Reject("(unknown)", "bad-topic");
                logger.LogWarning("Rejected telemetry on unexpected topic {Topic}", topic);
                return;
            }
            var result = SenmlParser.Parse(e.ApplicationMessage.Payload, deviceId, time.GetUtcNow());
            if (result.Rejection is { } reason)
            {
                metrics.Reject(deviceId, reason);
                logger.LogWarning("Rejected telemetry from device {DeviceId}: {Reason}", deviceId, reason);
                return;
            }
            metrics.Accept(result.Readings.Count);
            e.AutoAcknowledge = false;
            var pack = new TelemetryPack(result.Readings, () =>
                connection == Volatile.Read(ref _connection) && client.IsConnected ? e.AcknowledgeAsync(CancellationToken.None) : Task.CompletedTask);
            // Not queued (stopping): left unacknowledged, the broker keeps it for our next session.
            await pipeline.TryEnqueueAsync(pack, stoppingToken);
        };

        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(gateway.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)gateway.SessionExpiry.TotalSeconds)
            .WithCredentials(gateway.Username, gateway.Password)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            // How many messages the broker may send before we acknowledge: enough for a few flush intervals at
            // 20,000 readings/s, and the bound on what a crash leaves for the broker to send again.
            .WithReceiveMaximum(gateway.MaxUnacknowledged)
            .Build();
        var subscribe = factory.CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(gateway.Subscription).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await client.TryPingAsync(stoppingToken))
                {
                    Interlocked.Increment(ref _connection);
                    var connected = await client.ConnectAsync(clientOptions, stoppingToken);
                    // Subscribe even when the broker kept our session: a broker restored from its persistence file
                    // after a crash may report the session with a subscription that no longer delivers (seen with
                    // mosquitto 2.0 and shared subscriptions). Subscribing again keeps the messages queued for us.
                    await client.SubscribeAsync(subscribe, stoppingToken);
                    logger.LogInformation("Gateway {ClientId} connected to MQTT broker {Host}:{Port} (session kept: {SessionPresent}), subscribed to {Topic}",
                        gateway.ClientId, host, port, connected.IsSessionPresent, gateway.Subscription);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("MQTT broker {Host}:{Port} not reachable: {Error}", host, port, e.Message);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Write and acknowledge what was taken before leaving the broker; what comes meanwhile is not
        // acknowledged and waits in our session.
        await pipeline.CompleteAsync();
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    /// <summary>hcm/devices/{deviceId}/telemetry → deviceId; null for anything else.</summary>
    public static string? DeviceIdFrom(string topic)
    {
        return TelemetryTopic.TryParseDevice(topic, out var id) && id.Length <= 64 && !id.Contains('/') ? id : null;
    }
}
