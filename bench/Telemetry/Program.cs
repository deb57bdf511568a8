using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HcmCity.TelemetryLoad;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Protocol;

// Load tool for site telemetry against the embedded host (demo sign-in, embedded broker), without the demo devices:
//   dotnet run --project src/Silo -c Release -- --Simulator:Enabled=false
//   dotnet run --project bench/Telemetry -c Release -- --url http://127.0.0.1:5080 --mqtt 127.0.0.1:1883 --devices 100 --messages 50 --records 10
// Registers a site with --devices noise sensors, publishes --messages SenML packs of --records readings per device
// (QoS 1, all devices at once), and reports the publish rate and the end-to-end rate until every reading has passed
// the Sensor grains and reached the chart store. Then --alerts extra sensors each publish one loud pack and the time
// until the inspector's SignalR client receives the alert is reported.
TelemetryOptions options;
try
{
    options = TelemetryOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = options.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
var officer = await TokenAsync("officer");
var inspector = await TokenAsync("inspector");
var parcelId = (await GetJsonAsync("/api/parcels?limit=1", officer)).GetProperty("features")[0].GetProperty("id").GetInt64();
var site = await PostJsonAsync("/api/sites", officer, new { permitNumber = "BENCH-1/2026", parcelId, zone = "normal" });
var siteId = site.GetProperty("id").GetString()!;
var devices = new List<string>();
// Each device connects with the MQTT credentials it was provisioned with: the broker refuses anyone else.
var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < options.Devices + options.Alerts; i++)
{
    var sensor = await PostJsonAsync($"/api/sites/{siteId}/sensors", officer, new { kind = "noise" });
    var deviceId = sensor.GetProperty("deviceId").GetString()!;
    devices.Add(deviceId);
    secrets[deviceId] = sensor.GetProperty("mqtt").GetProperty("password").GetString()!;
}
var loadDevices = devices.Take(options.Devices).ToList();
var alertDevices = devices.Skip(options.Devices).ToList();

var alerts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
await using var hub = new HubConnectionBuilder()
    .WithUrl(new Uri(options.BaseAddress, "hubs/map"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(inspector))
    .Build();
hub.On<JsonElement>("alert", m => alerts.TryAdd(m.GetProperty("deviceId").GetString()!, Stopwatch.GetTimestamp()));
await hub.StartAsync();
await hub.InvokeAsync("SubscribeSite", siteId);

var total = (long)options.Devices * options.Messages * options.Records;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.BaseAddress} mqtt {options.Mqtt} — {options.Devices} devices × {options.Messages} packs × {options.Records} readings = {total} readings; machine load {LoadAverage()}"));

var start = DateTimeOffset.UtcNow.AddSeconds(-(options.Messages * options.Records) - 60);
var clock = Stopwatch.StartNew();
await Task.WhenAll(loadDevices.Select(device => PublishAsync(device, Enumerable.Range(0, options.Messages)
    .Select(m => Senml(device, Enumerable.Range(0, options.Records)
        .Select(r => (50.0 + (m + r) % 5, start.AddSeconds(m * options.Records + r))).ToList())).ToList())));
var published = clock.Elapsed;
long seen = 0;
while (seen < total && clock.Elapsed < TimeSpan.FromMinutes(5))
{
    await Task.Delay(200);
    seen = 0;
    foreach (var device in loadDevices)
    {
        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture));
        var readings = await GetJsonAsync($"/api/sensors/{device}/readings?from={from}&every=1d", inspector);
        seen += readings.GetProperty("series").EnumerateArray()
            .SelectMany(s => s.GetProperty("points").EnumerateArray()).Sum(p => p.GetProperty("count").GetInt64());
    }
}
var processed = clock.Elapsed;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"published {total} readings in {published.TotalSeconds:F2} s = {total / published.TotalSeconds:F0} readings/s ({options.Devices * options.Messages / published.TotalSeconds:F0} packs/s)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"processed {seen} of {total} readings (grains + chart store) in {processed.TotalSeconds:F2} s = {seen / processed.TotalSeconds:F0} readings/s end to end"));

var latencies = new List<double>();
foreach (var device in alertDevices)
{
    var now = DateTimeOffset.UtcNow;
    var sent = Stopwatch.GetTimestamp();
    await PublishAsync(device, [Senml(device, [(95.0, now.AddSeconds(-2)), (95.0, now.AddSeconds(-1)), (95.0, now)])]);
    var deadline = Stopwatch.StartNew();
    while (!alerts.ContainsKey(device) && deadline.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(1);
    }
    if (alerts.TryGetValue(device, out var received))
    {
        latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
    }
}
latencies.Sort();
if (latencies.Count > 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"alert latency (publish → SignalR 'alert'), {latencies.Count} of {alertDevices.Count}: p50 {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms"));
}
return seen == total && latencies.Count == alertDevices.Count ? 0 : 1;

async Task<string> TokenAsync(string role)
{
    using var response = await http.PostAsJsonAsync("/api/auth/demo-token", new { role });
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
}

async Task<JsonElement> GetJsonAsync(string path, string token)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadFromJsonAsync<JsonElement>();
}

async Task<JsonElement> PostJsonAsync(string path, string token, object body)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadFromJsonAsync<JsonElement>();
}

async Task PublishAsync(string device, IReadOnlyList<string> payloads)
{
    var separator = options.Mqtt.LastIndexOf(':');
    using var client = new MqttClientFactory().CreateMqttClient();
    await client.ConnectAsync(new MqttClientOptionsBuilder()
        .WithTcpServer(options.Mqtt[..separator], int.Parse(options.Mqtt[(separator + 1)..], CultureInfo.InvariantCulture))
        .WithClientId(device)
        .WithCredentials(device, secrets[device])
        .Build());
    foreach (var payload in payloads)
    {
        await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"hcm/devices/{device}/telemetry")
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
    }
    await client.DisconnectAsync();
}

static string Senml(string device, IReadOnlyList<(double Value, DateTimeOffset Time)> readings)
{
    var text = new StringBuilder();
    text.Append(CultureInfo.InvariantCulture, $"[{{\"bn\":\"urn:dev:hcm:{device}:\",\"bt\":{readings[0].Time.ToUnixTimeSeconds()}");
    for (var i = 0; i < readings.Count; i++)
    {
        text.Append(i == 0 ? "," : ",{")
            .Append(CultureInfo.InvariantCulture,
                $"\"n\":\"laeq\",\"u\":\"dBA\",\"v\":{readings[i].Value},\"t\":{readings[i].Time.ToUnixTimeSeconds() - readings[0].Time.ToUnixTimeSeconds()}}}");
    }
    return text.Append(']').ToString();
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
