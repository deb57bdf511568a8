using HcmCity.Abstractions.Sensors;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using HcmCity.ServiceDefaults;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HcmCity.Sites.Devices;

/// <summary>
/// mosquitto's admin account (production): <c>Mqtt:AdminUsername</c>, <c>Mqtt:AdminPassword</c> of a client of the
/// dynamic-security plugin allowed to publish to <c>$CONTROL/dynamic-security/#</c>.
/// </summary>
public sealed class MqttAdminOptions
{
    public const string Section = "Mqtt";

    public string? AdminUsername { get; set; }

    public string? AdminPassword { get; set; }

    /// <summary>How long to wait for the plugin's answer to a command.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Stops the start, naming the setting, when the broker or the admin account is not configured.</summary>
    public static void Require(IConfiguration configuration)
    {
        foreach (var key in new[] { PlatformConfiguration.MqttKey, $"{Section}:{nameof(AdminUsername)}", $"{Section}:{nameof(AdminPassword)}" })
        {
            if (string.IsNullOrWhiteSpace(configuration[key]))
            {
                throw new ConfigurationException(
                    $"{key} is missing; the API manages device accounts on mosquitto's dynamic-security plugin with it " +
                    $"(set it in appsettings or the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}).");
            }
        }
    }
}

/// <summary>
/// Device accounts on mosquitto's dynamic-security plugin. Provisioning creates a client (username = client id =
/// device id, password = the secret) with a role of its own allowing publishClientSend on hcm/devices/{id}/telemetry only
/// (mosquitto 2.0's dynamic security has no %u pattern); everything else is denied by the default ACL access.
/// Revocation deletes client and role, and the plugin disconnects the device at once. Each command waits for the
/// plugin's response on <c>$CONTROL/dynamic-security/v1/response</c>, matched by correlation data.
/// </summary>
public sealed class MosquittoDeviceAccess(
    IOptions<MqttOptions> mqtt, IOptions<MqttAdminOptions> options, ILogger<MosquittoDeviceAccess> logger) : IDeviceAccess, IAsyncDisposable
{
    public const string ControlTopic = "$CONTROL/dynamic-security/v1";
    public const string ResponseTopic = ControlTopic + "/response";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonArray>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _connect = new(1, 1);
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private bool _handlerAttached;

    /// <summary>The role of one device: the right to publish its own telemetry.</summary>
    public static string RoleOf(string deviceId) => $"hcm-device-{deviceId}";

    public async Task GrantAsync(string deviceId, string secret, CancellationToken cancellationToken = default)
    {
        var role = RoleOf(deviceId);
        await ExecuteAsync(
            [
                new JsonObject
                {
                    ["command"] = "createRole",
                    ["rolename"] = role,
                    ["acls"] = new JsonArray(new JsonObject
                    {
                        ["acltype"] = "publishClientSend",
                        ["topic"] = TelemetryTopic.For(deviceId),
                        ["allow"] = true,
                    }),
                },
                new JsonObject
                {
                    ["command"] = "createClient",
                    ["username"] = deviceId,
                    // The plugin refuses this account under any other client id, so a device cannot connect with
                    // another's id and take over its session (the broker disconnects the client it replaces).
                    ["clientid"] = deviceId,
                    ["password"] = secret,
                    ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }),
                },
            ],
            tolerated: [], cancellationToken);
        logger.LogInformation("mosquitto: device {DeviceId} may now publish to its telemetry topic", deviceId);
    }

    public async Task RevokeAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        // Deleting the client disconnects its device; an already deleted one is not an error (idempotent).
        await ExecuteAsync(
            [
                new JsonObject { ["command"] = "deleteClient", ["username"] = deviceId },
                new JsonObject { ["command"] = "deleteRole", ["rolename"] = RoleOf(deviceId) },
            ],
            tolerated: ["Client not found", "Role not found"], cancellationToken);
        logger.LogInformation("mosquitto: device {DeviceId} deleted and disconnected", deviceId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
        _client.Dispose();
        _connect.Dispose();
    }

    /// <summary>Sends the commands as one message and fails unless each succeeded or failed with a tolerated error.</summary>
    private async Task ExecuteAsync(JsonObject[] commands, string[] tolerated, CancellationToken cancellationToken)
    {
        await EnsureConnectedAsync(cancellationToken);
        var correlation = Guid.NewGuid().ToString("N");
        for (var i = 0; i < commands.Length; i++)
        {
            commands[i]["correlationData"] = $"{correlation}-{i}";
        }
        var answer = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlation] = answer;
        try
        {
            var payload = new JsonObject { ["commands"] = new JsonArray(commands) }.ToJsonString();
            await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(ControlTopic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), cancellationToken);
            var responses = await answer.Task.WaitAsync(options.Value.Timeout, cancellationToken);
            foreach (var response in responses)
            {
                if (response?["error"]?.GetValue<string>() is { } error && !tolerated.Contains(error, StringComparer.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"mosquitto dynamic security refused {response["command"]?.GetValue<string>()}: {error}.");
                }
            }
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException(
                $"mosquitto dynamic security did not answer within {options.Value.Timeout} (is the plugin loaded?).", e);
        }
        finally
        {
            _pending.TryRemove(correlation, out _);
        }
    }

    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }
        await _connect.WaitAsync(cancellationToken);
        try
        {
            if (_client.IsConnected)
            {
                return;
            }
            if (!_handlerAttached)
            {
                _client.ApplicationMessageReceivedAsync += e =>
                {
                    OnResponse(e.ApplicationMessage.Payload);
                    return Task.CompletedTask;
                };
                _handlerAttached = true;
            }
            var admin = options.Value;
            var (host, port) = (mqtt.Value.Host, mqtt.Value.Port);
            await _client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId($"hcm-admin-{Guid.NewGuid():N}")
                .WithCredentials(admin.AdminUsername, admin.AdminPassword)
                .WithCleanStart(true)
                .WithTimeout(admin.Timeout)
                .Build(), cancellationToken);
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(ResponseTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build(), cancellationToken);
        }
        finally
        {
            _connect.Release();
        }
    }

    /// <summary>Completes the command whose correlation data the responses carry; other admins' answers are ignored.</summary>
    private void OnResponse(System.Buffers.ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (JsonNode.Parse(ref reader)?["responses"] is not JsonArray responses
                || responses.FirstOrDefault()?["correlationData"]?.GetValue<string>() is not { } first)
            {
                return;
            }
            var correlation = first[..first.LastIndexOf('-')];
            if (_pending.TryRemove(correlation, out var answer))
            {
                answer.TrySetResult(responses);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            logger.LogWarning("mosquitto dynamic security sent an unreadable response: {Error}", e.Message);
        }
    }
}
