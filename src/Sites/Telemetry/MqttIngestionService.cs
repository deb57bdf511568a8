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
/// it has not acknowledged again. A message whose readings a sink could not take stays unacknowledged, and the
/// gateway reconnects so the broker sends it again. Rejected messages are acknowledged at once (counted and logged,
/// never retried). Reconnects by itself.
/// </summary>
public sealed class MqttIngestionService(
    IOptions<MqttOptions> mqtt,
    IOptions<GatewayOptions> options,
    ReadingPipeline pipeline,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<MqttIngestionService> logger) : BackgroundService
{
    private IMqttClient? _client;

    // Bumped on every connection (see Delivery).
    private int _connection;

    // The last connection whose deliveries were given up (a sink failed): the gateway leaves it, and on the next
    // connection the broker sends again every message it has not acknowledged, in order (MQTT 5 §4.4).
    private int _givenUp;

    public bool IsConnected => _client?.IsConnected == true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gateway = options.Value;
        var (host, port) = (mqtt.Value.Host, mqtt.Value.Port);
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
            var pack = new TelemetryPack(result.Readings, new Delivery(this, client, connection, e));
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
                if (client.IsConnected && Volatile.Read(ref _givenUp) == Volatile.Read(ref _connection))
                {
                    logger.LogWarning("Gateway {ClientId} reconnects so the broker sends again the telemetry its sinks could not take", gateway.ClientId);
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), stoppingToken);
                }
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

    /// <summary>
    /// A message of connection <paramref name="connection"/>. Acknowledged only on that connection (packet ids belong
    /// to it); after a reconnect the broker sends it again instead.
    /// </summary>
    private sealed class Delivery(
        MqttIngestionService service, IMqttClient client, int connection, MqttApplicationMessageReceivedEventArgs message) : ITelemetryDelivery
    {
        public bool GivenUp => connection <= Volatile.Read(ref service._givenUp);

        public Task AcknowledgeAsync() =>
            connection == Volatile.Read(ref service._connection) && client.IsConnected
                ? message.AcknowledgeAsync(CancellationToken.None)
                : Task.CompletedTask;

        public void GiveUp()
        {
            var givenUp = Volatile.Read(ref service._givenUp);
            while (connection > givenUp)
            {
                var seen = Interlocked.CompareExchange(ref service._givenUp, connection, givenUp);
                if (seen == givenUp)
                {
                    return;
                }
                givenUp = seen;
            }
        }
    }

    /// <summary>hcm/devices/{deviceId}/telemetry → deviceId; null for anything else.</summary>
    public static string? DeviceIdFrom(string topic)
    {
        return TelemetryTopic.TryParseDevice(topic, out var id) && id.Length <= 64 && !id.Contains('/') ? id : null;
    }
}
