using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using HcmCity.Sites.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.Testing;

/// <summary>What a test does as an officer, an inspector or a device against a running platform.</summary>
internal sealed class SiteTestDriver(PlatformInstance platform) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// No cookie jar: demo sign-in also sets a token cookie, and a cookie left by one role must not stand in for
    /// another role's bearer token or for an anonymous request.
    /// </summary>
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false }) { BaseAddress = platform.BaseAddress };

    /// <summary>The unit of the demo tokens unless a call names another (officers act within their unit only).</summary>
    public const string DefaultUnit = "26743";

    private readonly Dictionary<(string Role, string Unit), string> _tokens = [];

    public async Task<string> TokenAsync(string role, string unit = DefaultUnit)
    {
        if (!_tokens.TryGetValue((role, unit), out var token))
        {
            token = await _http.DemoTokenAsync(role, unit);
            _tokens[(role, unit)] = token;
        }
        return token;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? role, object? body = null, string unit = DefaultUnit)
    {
        using var request = new HttpRequestMessage(method, url);
        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role, unit));
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await _http.SendAsync(request, Ct);
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request, Ct);

    public async Task<JsonElement> JsonAsync(HttpMethod method, string url, string role, object? body = null, string unit = DefaultUnit)
    {
        using var response = await SendAsync(method, url, role, body, unit);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Registers a site as an officer of the parcel's unit.</summary>
    public async Task<JsonElement> RegisterSiteAsync(long parcelId, string zone = "normal")
    {
        var parcel = await platform.Services.GetRequiredService<IParcelStore>().GetAsync(parcelId, Ct);
        return await JsonAsync(HttpMethod.Post, "/api/sites", "officer", new { permitNumber = "GPXD-0421/2026", parcelId, zone },
            parcel?.Key.Unit ?? DefaultUnit);
    }

    /// <summary>Provisions a sensor as an officer of the site's unit.</summary>
    /// <returns>The sensor's device id and MQTT password (its secret).</returns>
    public async Task<DeviceCredentials> ProvisionAsync(string siteId, string kind)
    {
        var site = await platform.Services.GetRequiredService<ISiteRepository>().GetSiteAsync(siteId, Ct);
        var sensor = await JsonAsync(HttpMethod.Post, $"/api/sites/{siteId}/sensors", "officer", new { kind }, site?.Ward ?? DefaultUnit);
        return new DeviceCredentials(sensor.GetProperty("deviceId").GetString()!, sensor.GetProperty("mqtt").GetProperty("password").GetString()!);
    }

    /// <summary>A hub connection as <paramref name="role"/>, recording every "siteStatus" and "alert" message.</summary>
    public async Task<LiveClient> ConnectAsync(string role)
    {
        var token = await TokenAsync(role);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(platform.BaseAddress, "hubs/map"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var client = new LiveClient(connection);
        await connection.StartAsync(Ct);
        return client;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A SenML pack for <paramref name="deviceId"/> with absolute times.</summary>
    public static string Senml(string deviceId, string unit, params (string Name, double Value, DateTimeOffset Time)[] records)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < records.Length; i++)
        {
            var (name, value, time) = records[i];
            text.Append(i == 0 ? $"{{\"bn\":\"urn:dev:hcm:{deviceId}:\"," : "{")
                .Append(CultureInfo.InvariantCulture, $"\"n\":\"{name}\",\"u\":\"{unit}\",\"v\":{value},\"t\":{time.ToUnixTimeMilliseconds() / 1000.0}}}")
                .Append(i < records.Length - 1 ? "," : "]");
        }
        return text.ToString();
    }

    /// <summary>Connects as the device (MQTT 5, its credentials) and publishes each payload to its telemetry topic.</summary>
    public static async Task PublishAsync(string hostPort, DeviceCredentials device, params string[] payloads)
    {
        using var client = await ConnectDeviceAsync(hostPort, device);
        foreach (var payload in payloads)
        {
            var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"hcm/devices/{device.DeviceId}/telemetry")
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
            Assert.True(result.IsSuccess, $"publish of {device.DeviceId}: {result.ReasonCode}");
        }
        await client.DisconnectAsync(cancellationToken: Ct);
    }

    /// <summary>A connected MQTT 5 client of the device.</summary>
    public static async Task<IMqttClient> ConnectDeviceAsync(string hostPort, DeviceCredentials device)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var result = await client.ConnectAsync(DeviceOptions(hostPort, device.DeviceId, device.Secret), Ct);
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    /// <summary>How the broker answers a CONNECT with these credentials (null: none) and client id (default: the username).</summary>
    public static async Task<MqttClientConnectResultCode> ConnectResultAsync(
        string hostPort, string? username, string? password, string? clientId = null)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(DeviceOptions(hostPort, clientId ?? username, password, username), Ct);
        if (client.IsConnected)
        {
            await client.DisconnectAsync(cancellationToken: Ct);
        }
        return result.ResultCode;
    }

    private static MqttClientOptions DeviceOptions(string hostPort, string? clientId, string? password, string? username = null)
    {
        var (host, port) = HcmCity.ServiceDefaults.PlatformConfiguration.HostPort(hostPort);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(clientId ?? $"test-{Guid.NewGuid():N}");
        if (password is not null)
        {
            options.WithCredentials(username ?? clientId, password);
        }
        return options.Build();
    }
}

/// <summary>A device's MQTT credentials: username = device id, password = the secret shown at provisioning.</summary>
internal sealed record DeviceCredentials(string DeviceId, string Secret);

/// <summary>A SignalR client of the map hub and what it received.</summary>
internal sealed class LiveClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Kind, JsonElement Message)> _received = new();

    public LiveClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("siteStatus", m => _received.Enqueue(("siteStatus", m)));
        connection.On<JsonElement>("alert", m => _received.Enqueue(("alert", m)));
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<(string Kind, JsonElement Message)> Received => [.. _received];

    /// <summary>Waits for a message of <paramref name="kind"/> matching <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string kind, Func<JsonElement, bool> match)
    {
        (string, JsonElement)? found = null;
        await Eventually.TrueAsync(() =>
        {
            found = _received.FirstOrDefault(r => r.Kind == kind && match(r.Message));
            return found is { Item1: not null };
        });
        return found!.Value.Item2;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
