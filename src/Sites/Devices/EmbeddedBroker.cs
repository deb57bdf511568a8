using HcmCity.Abstractions.Sensors;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HcmCity.Sites.Telemetry;
using HcmCity.ServiceDefaults;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace HcmCity.Sites.Devices;

/// <summary>
/// MQTTnet's embedded broker, for the one-process embedded mode: listens on the loopback port of
/// ConnectionStrings:Mqtt so a newcomer needs no mosquitto. Production uses mosquitto.
/// </summary>
/// <remarks>
/// Enforces what mosquitto's dynamic security enforces in production: the gateway connects with
/// <see cref="GatewayOptions.Username"/>/<see cref="GatewayOptions.Password"/> and is the only subscriber; a device
/// connects with its device id as username and client id and its provisioned secret (<see cref="ISensorCredentials"/>)
/// and may publish to hcm/devices/{its id}/telemetry only. Revoking a sensor (<see cref="IDeviceAccess"/>) disconnects
/// its device. No packet over <see cref="GatewayOptions.MaxPacketBytes"/> is read.
/// </remarks>
public sealed class EmbeddedBroker(
    IOptions<MqttOptions> mqtt,
    IOptions<GatewayOptions> options,
    ISensorCredentials credentials,
    GatewayMetrics metrics,
    ILogger<EmbeddedBroker> logger) : IHostedService, IDeviceAccess, IAsyncDisposable
{
    /// <summary>Connected clients: client id → username.</summary>
    private readonly ConcurrentDictionary<string, string> _clients = new(StringComparer.Ordinal);

    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = mqtt.Value.Port;
        var factory = new MqttServerFactory();
        var serverOptions = factory.CreateServerOptionsBuilder()
            .WithPersistentSessions()
            .Build();
        var maxPacketBytes = options.Value.MaxPacketBytes;
        var listener = new PacketSizeLimitedServerAdapter(new IPEndPoint(IPAddress.Loopback, port), maxPacketBytes, (client, bytes) =>
        {
            metrics.Denied(null, "packet");
            logger.LogWarning("Embedded broker closed the connection of {Client}: it announced a packet of {Bytes} bytes, over {Limit} bytes",
                client, bytes, maxPacketBytes);
        });
        var server = factory.CreateMqttServer(serverOptions, [listener]);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.ClientConnectedAsync += e =>
        {
            _clients[e.ClientId] = e.UserName ?? "";
            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += e =>
        {
            _clients.TryRemove(new KeyValuePair<string, string>(e.ClientId, e.UserName ?? ""));
            return Task.CompletedTask;
        };
        _server = server;
        await server.StartAsync();
        logger.LogInformation("Embedded MQTT broker listening on 127.0.0.1:{Port}", port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            _clients.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Nothing to do: every connection is checked against the sensor's stored credentials.</summary>
    public Task GrantAsync(string deviceId, string secret, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Disconnects the device's connections. The sensor is already revoked in the repository, so
    /// <see cref="ISensorCredentials"/> refuses its reconnections.
    /// </summary>
    public async Task RevokeAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }
        foreach (var (clientId, username) in _clients)
        {
            if (username == deviceId)
            {
                await server.DisconnectClientAsync(clientId, MqttDisconnectReasonCode.NotAuthorized);
                logger.LogInformation("Embedded broker disconnected revoked device {DeviceId} (client {ClientId})", deviceId, clientId);
            }
        }
    }

    private bool IsGateway(string? username) =>
        username is not null && username == options.Value.Username;

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var gateway = options.Value;
        var isGateway = IsGateway(e.UserName);
        var accepted = isGateway
            ? gateway.Password is { Length: > 0 } expected && e.Password is { } given
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            : e.UserName is { Length: > 0 } deviceId && e.Password is { Length: > 0 } secret
                && await credentials.VerifyAsync(deviceId, secret);
        if (!accepted)
        {
            metrics.Denied(null, "connect");
            logger.LogWarning("Embedded broker refused client {ClientId}: bad username or password for {Username}", e.ClientId, e.UserName);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            return;
        }
        if (!isGateway && e.ClientId != e.UserName)
        {
            // A device's client id is its device id: with any other it could take over another device's session (the
            // broker disconnects the client already connected under an id), or the gateway's.
            metrics.Denied(e.UserName, "connect");
            logger.LogWarning("Embedded broker refused client id {ClientId} to device {Username}: a device connects with its own device id",
                e.ClientId, e.UserName);
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
        }
    }

    /// <summary>
    /// Largest payload the embedded broker passes on: the gateway's own limit (<see cref="SenmlParser.MaxPayloadBytes"/>).
    /// A device's larger publication is refused with PUBACK QuotaExceeded and counted as rejected for that device
    /// (reason "oversized"); it is never queued in the gateway's persistent session, and the device stays connected.
    /// A packet over <see cref="GatewayOptions.MaxPacketBytes"/> is not even read: its connection is closed
    /// (<see cref="PacketSizeLimitedServerAdapter"/>).
    /// </summary>
    public const int MaxPayloadBytes = SenmlParser.MaxPayloadBytes;

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (e.UserName is { Length: > 0 } user && !IsGateway(user) && topic == TelemetryTopic.For(user))
        {
            if (e.ApplicationMessage.Payload.Length > MaxPayloadBytes)
            {
                e.ProcessPublish = false;
                e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
                e.Response.ReasonString = $"payload over {MaxPayloadBytes} bytes";
                metrics.Reject(user, "oversized");
                logger.LogWarning("Embedded broker refused a {Bytes}-byte publication of {DeviceId}: over {Limit} bytes",
                    e.ApplicationMessage.Payload.Length, user, MaxPayloadBytes);
            }
            return Task.CompletedTask;
        }
        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        metrics.Denied(e.UserName, "publish");
        logger.LogWarning("Embedded broker refused a publication of {Username} to {Topic}", e.UserName, topic);
        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (IsGateway(e.UserName))
        {
            return Task.CompletedTask;
        }
        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        metrics.Denied(e.UserName, "subscribe");
        logger.LogWarning("Embedded broker refused a subscription of {Username} to {Topic}", e.UserName, e.TopicFilter.Topic);
        return Task.CompletedTask;
    }
}
