using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.TelemetryLoad;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Protocol;

// Load tool for site telemetry, against a host with demo sign-in (embedded mode), without the demo devices:
//   dotnet run --project src/Silo -c Release -- --Simulator:Enabled=false
//   dotnet run --project bench/Telemetry -c Release -- --url http://127.0.0.1:5080 --mqtt 127.0.0.1:1883 --devices 100 --messages 50 --records 10
// Fixed-count run (default): registers a site with --devices noise sensors, publishes --messages SenML packs of
// --records readings per device (QoS 1, all devices at once), and reports the publish rate and the end-to-end rate
// until every reading has passed the Sensor grains and reached the chart store. Then --alerts extra sensors each
// publish one loud pack and the time until the inspector's SignalR client receives the alert is reported.
//
// Sustained run (--duration S), e.g. against a host wired to mosquitto and InfluxDB (see bench/Telemetry/README.md):
//   ... --devices 10000 --per-site 100 --records 10 --duration 45 --alerts 250 --mqtt-admin hcm-admin:... --influx http://127.0.0.1:58086 --silo-pid PID
// Provisions the sensors (--concurrency at once, timed), connects every device on its own MQTT connection, then
// 1. with --mqtt-admin, the broker's own pub→sub baseline: the same devices' connections (temporary dynsec
//    accounts, topic prefix bench/{run}/ that the platform does not subscribe to) publish the same packs while a
//    plain MQTTnet subscriber, in a process of its own (this tool with --count), counts them;
// 2. the platform: the devices publish to their telemetry topics for --warmup + --duration s (each as fast as QoS 1
//    acks allow, or --rate readings/s in all); readings/s are those that passed the Sensor grains in the window
//    (gateway counters hcm.gateway.readings.written − unknown_device at /metrics), and those InfluxDB holds with a
//    time in the window (count query);
// 3. meanwhile --alerts alert sensors (their own site, which the inspector's SignalR client subscribes to) each
//    publish one loud pack, evenly spread over the window: publish → "alert" latency p50/p95/p99.
// With --mqtt-admin the run's device accounts are deleted from mosquitto at the end. --device-account shared: the
// devices connect under one temporary account instead (for a host without Mqtt:AdminUsername; see README.md).
//
// Memory run (--grains N): provisions N sensors (provisioning activates each Sensor grain) and reports the silo's
// resident memory (--silo-pid), GC heap and Sensor grain activations before and after.
if (args is ["--count", var countEndpoint, var countCredentials, var countTopic])
{
    return await CountingSubscriber.RunAsync(countEndpoint, countCredentials, countTopic);
}
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

using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 })
{
    BaseAddress = options.BaseAddress,
    Timeout = TimeSpan.FromSeconds(60),
};
var officer = await TokenAsync("officer");
var inspector = await TokenAsync("inspector");
var parcels = (await GetJsonAsync("/api/parcels?limit=100", officer)).GetProperty("features").EnumerateArray()
    .Select(f => f.GetProperty("id").GetInt64()).ToList();
var run = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
var secrets = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

if (options.Grains > 0)
{
    return await MemoryRunAsync();
}

var loadDevices = await ProvisionAsync(options.Devices, options.PerSite == 0 ? options.Devices : options.PerSite, "load");
var (alertDevices, alertSites) = options.Alerts > 0 ? await ProvisionWithSitesAsync(options.Alerts, options.Alerts, "alert") : ([], []);
var siteId = alertSites.FirstOrDefault();

var alerts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
await using var hub = new HubConnectionBuilder()
    .WithUrl(new Uri(options.BaseAddress, "hubs/map"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(inspector))
    .Build();
hub.On<JsonElement>("alert", m => alerts.TryAdd(m.GetProperty("deviceId").GetString()!, Stopwatch.GetTimestamp()));
await hub.StartAsync();
if (siteId is not null)
{
    await hub.InvokeAsync("SubscribeSite", siteId);
}

if (options.Duration > 0)
{
    return await SustainedRunAsync();
}

var total = (long)options.Devices * options.Messages * options.Records;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.BaseAddress} mqtt {options.Mqtt} — {options.Devices} devices × {options.Messages} packs × {options.Records} readings = {total} readings; machine load {Observe.LoadAverage()}"));

var start = DateTimeOffset.UtcNow.AddSeconds(-(options.Messages * options.Records) - 60);
var clock = Stopwatch.StartNew();
await Task.WhenAll(loadDevices.Select(device => PublishAsync(device, Enumerable.Range(0, options.Messages)
    .Select(m => MqttLoad.Senml(device, Enumerable.Range(0, options.Records)
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
    await PublishAsync(device, [LoudPack(device, now)]);
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
ReportLatencies(latencies, alertDevices.Count, "after the load");
return seen == total && latencies.Count == alertDevices.Count ? 0 : 1;

async Task<int> SustainedRunAsync()
{
    var records = options.Records;
    // Each device's pause between packs for the offered --rate (0: none, as fast as its QoS 1 acks come back).
    var interval = options.Rate > 0 ? TimeSpan.FromSeconds((double)options.Devices * records / options.Rate) : TimeSpan.Zero;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sustained: {options.Devices} devices × {records} readings/pack, {(options.Rate > 0 ? $"{options.Rate} readings/s offered (one pack per device every {interval.TotalSeconds:F2} s)" : "each device as fast as QoS 1 allows")}, window {options.Duration} s after {options.Warmup} s warm-up"));

    double? baseline = null;
    if (options.MqttAdmin is not null)
    {
        baseline = await BaselineAsync(interval);
    }

    // Own: each device's provisioned credentials. Shared: one temporary account for all (the host made none per sensor).
    var (deviceUser, devicePassword) = (new Func<string, string>(d => d), new Func<string, string>(d => secrets[d]));
    var sharedAccount = $"hcm-bench-dev-{run}";
    if (options.SharedDeviceAccount)
    {
        var password = Guid.NewGuid().ToString("N");
        await using var admin = await DynsecAdmin.ConnectAsync(options.Mqtt, options.MqttAdmin ?? throw new ArgumentException("--device-account shared needs --mqtt-admin."));
        await admin.CreateClientAsync(sharedAccount, password, ("publishClientSend", "hcm/devices/+/telemetry"));
        (deviceUser, devicePassword) = (_ => sharedAccount, _ => password);
        Console.WriteLine($"devices connect as the temporary mosquitto account {sharedAccount} (publish hcm/devices/+/telemetry)");
    }
    var clients = await ConnectAllAsync(loadDevices, d => d, deviceUser, devicePassword, "platform");
    var alertClients = await ConnectAllAsync(alertDevices, d => d, deviceUser, devicePassword, "alert");
    var counters = new[] { "hcm_gateway_readings_written_total", "hcm_gateway_readings_unknown_device_total", "hcm_gateway_messages_total" };
    Console.WriteLine($"platform phase, machine load {Observe.LoadAverage()}, silo RSS {Observe.RssMiB(options.SiloPid):F0} MiB");

    using var stop = new CancellationTokenSource();
    long packs = 0;
    var publishers = clients.Select((c, i) => PublishLoopAsync(c.Client, $"hcm/devices/{c.Device}/telemetry", c.Device, interval, () => Interlocked.Increment(ref packs), stop.Token)).ToList();
    await Task.Delay(TimeSpan.FromSeconds(options.Warmup));

    var before = await Observe.MetricsAsync(http, counters);
    var packsBefore = Interlocked.Read(ref packs);
    var windowStart = DateTimeOffset.UtcNow;
    var window = Stopwatch.StartNew();
    Console.WriteLine($"window opens, machine load {Observe.LoadAverage()}");
    // Alerts while the load runs: one loud pack per alert sensor, evenly spread over the window.
    var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
    var alertTask = Task.Run(async () =>
    {
        for (var i = 0; i < alertClients.Count; i++)
        {
            var due = TimeSpan.FromSeconds(options.Duration * (i + 0.5) / alertClients.Count);
            if (due > window.Elapsed)
            {
                await Task.Delay(due - window.Elapsed);
            }
            var (device, client) = alertClients[i];
            var payload = LoudPack(device, DateTimeOffset.UtcNow);
            sent[device] = Stopwatch.GetTimestamp();
            await MqttLoad.PublishAsync(client, $"hcm/devices/{device}/telemetry", payload);
        }
    });
    var loadMid = "";
    await Task.Delay(TimeSpan.FromSeconds(options.Duration / 2.0));
    loadMid = Observe.LoadAverage();
    var rssMid = Observe.RssMiB(options.SiloPid);
    await Task.Delay(TimeSpan.FromSeconds(options.Duration) - window.Elapsed);
    var after = await Observe.MetricsAsync(http, counters);
    var seconds = window.Elapsed.TotalSeconds;
    var packsAfter = Interlocked.Read(ref packs);
    var windowEnd = DateTimeOffset.UtcNow;
    var loadEnd = Observe.LoadAverage();
    await stop.CancelAsync();
    await Task.WhenAll(publishers);
    await alertTask;

    // Drain: what was published has passed the gateway once its counter stops moving.
    var drain = Stopwatch.StartNew();
    var last = after["hcm_gateway_readings_written_total"];
    var stableSince = Stopwatch.StartNew();
    while (stableSince.Elapsed < TimeSpan.FromSeconds(3) && drain.Elapsed < TimeSpan.FromSeconds(120))
    {
        await Task.Delay(250);
        var now = (await Observe.MetricsAsync(http, counters))["hcm_gateway_readings_written_total"];
        if (now != last)
        {
            last = now;
            stableSince.Restart();
        }
    }
    var drained = await Observe.MetricsAsync(http, counters);

    var offered = (packsAfter - packsBefore) * records / seconds;
    var written = after["hcm_gateway_readings_written_total"] - before["hcm_gateway_readings_written_total"];
    var unknown = after["hcm_gateway_readings_unknown_device_total"] - before["hcm_gateway_readings_unknown_device_total"];
    var grains = (written - unknown) / seconds;
    var totalPublished = packsAfter * records;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"published in window: {offered:F0} readings/s ({(packsAfter - packsBefore) / seconds:F0} packs/s); in all {totalPublished} readings"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"passed the Sensor grains in window: {grains:F0} readings/s ({written - unknown:F0} readings in {seconds:F1} s; gateway messages {(after["hcm_gateway_messages_total"] - before["hcm_gateway_messages_total"]) / seconds:F0}/s; other devices' readings in window {unknown:F0})"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"after the publishers stopped: drained in {drain.Elapsed.TotalSeconds:F1} s; written since start {drained["hcm_gateway_readings_written_total"]:F0} (published {totalPublished} + warm-up/other devices)"));
    if (options.Influx is { } influx)
    {
        var stored = await Observe.InfluxCountAsync(http, influx, options.InfluxDatabase, windowStart, windowEnd);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"InfluxDB: {stored} readings stamped in the window = {stored / seconds:F0} readings/s written"));
    }
    if (baseline is { } mosquitto)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio platform/mosquitto pub→sub: {grains / mosquitto:P1} ({grains:F0} / {mosquitto:F0} readings/s)"));
    }
    Console.WriteLine($"machine load mid-window {loadMid}, end {loadEnd}; silo RSS mid-window {rssMid:F0} MiB, now {Observe.RssMiB(options.SiloPid):F0} MiB");

    var waitAlerts = Stopwatch.StartNew();
    while (alerts.Count < sent.Count && waitAlerts.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(100);
    }
    var latencies = sent.Where(s => alerts.ContainsKey(s.Key))
        .Select(s => Stopwatch.GetElapsedTime(s.Value, alerts[s.Key]).TotalMilliseconds).Order().ToList();
    ReportLatencies(latencies, alertClients.Count, "during the sustained load");

    await DisconnectAllAsync(clients.Concat(alertClients).Select(c => c.Client));
    if (options.MqttAdmin is not null)
    {
        await using var admin = await DynsecAdmin.ConnectAsync(options.Mqtt, options.MqttAdmin);
        if (options.SharedDeviceAccount)
        {
            await admin.DeleteAsync([sharedAccount], [sharedAccount]);
            Console.WriteLine($"deleted {sharedAccount} from mosquitto");
        }
        else
        {
            var all = loadDevices.Concat(alertDevices).ToList();
            await admin.DeleteAsync(all, all.Select(d => $"hcm-device-{d}"));
            Console.WriteLine($"deleted the run's {all.Count} device accounts from mosquitto");
        }
    }
    return 0;
}

// The broker alone: the same connections, packs and pacing on a prefix the platform does not subscribe to.
async Task<double> BaselineAsync(TimeSpan interval)
{
    await using var admin = await DynsecAdmin.ConnectAsync(options.Mqtt, options.MqttAdmin!);
    var prefix = $"bench/{run}";
    var publisher = $"hcm-bench-pub-{run}";
    var subscriber = $"hcm-bench-sub-{run}";
    var password = Guid.NewGuid().ToString("N");
    await admin.CreateClientAsync(publisher, password, ("publishClientSend", $"{prefix}/#"));
    await admin.CreateClientAsync(subscriber, password, ("subscribePattern", $"{prefix}/#"), ("publishClientReceive", $"{prefix}/#"));
    try
    {
        long received = 0;
        using var sub = await CountingSubscriber.StartAsync(options.Mqtt, $"{subscriber}:{password}", $"{prefix}/#", n => Interlocked.Exchange(ref received, n));
        var clients = await ConnectAllAsync(loadDevices, d => $"bench-{d}", _ => publisher, _ => password, "mosquitto baseline");
        Console.WriteLine($"mosquitto baseline, machine load {Observe.LoadAverage()}");
        using var stop = new CancellationTokenSource();
        long packs = 0;
        var publishers = clients.Select(c => PublishLoopAsync(c.Client, $"{prefix}/devices/{c.Device}/telemetry", c.Device, interval, () => Interlocked.Increment(ref packs), stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
        var before = Interlocked.Read(ref received);
        var packsBefore = Interlocked.Read(ref packs);
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.Duration / 2.0));
        var loadMid = Observe.LoadAverage();
        await Task.Delay(TimeSpan.FromSeconds(options.Duration) - window.Elapsed);
        var delivered = Interlocked.Read(ref received) - before;
        var packsSent = Interlocked.Read(ref packs) - packsBefore;
        var seconds = window.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(publishers);
        await DisconnectAllAsync(clients.Select(c => c.Client));
        var rate = delivered * options.Records / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mosquitto pub→sub: published {packsSent * options.Records / seconds:F0} readings/s, delivered to the subscriber {rate:F0} readings/s ({delivered / seconds:F0} packs/s) over {seconds:F1} s; machine load mid-window {loadMid}"));
        sub.Kill();
        await sub.WaitForExitAsync();
        return rate;
    }
    finally
    {
        await admin.DeleteAsync([publisher, subscriber], [publisher, subscriber]);
    }
}

async Task PublishLoopAsync(IMqttClient client, string topic, string device, TimeSpan interval, Action published, CancellationToken stop)
{
    // Spread the devices' first packs over one interval, then keep each device's pace.
    var next = Stopwatch.GetTimestamp() + (long)(interval.TotalSeconds * Random.Shared.NextDouble() * Stopwatch.Frequency);
    var lastMs = 0L;
    var value = 0;
    while (!stop.IsCancellationRequested)
    {
        if (interval > TimeSpan.Zero)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
        }
        // Stamped now, one millisecond apart, never earlier than the device's previous pack.
        var first = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), lastMs + 1);
        lastMs = first + options.Records - 1;
        var readings = Enumerable.Range(0, options.Records)
            .Select(r => (50.0 + (value++ % 5), DateTimeOffset.FromUnixTimeMilliseconds(first + r))).ToList();
        try
        {
            await MqttLoad.PublishAsync(client, topic, MqttLoad.Senml(device, readings), CancellationToken.None);
            published();
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"{device}: {e.Message}");
            return;
        }
    }
}

async Task<List<(string Device, IMqttClient Client)>> ConnectAllAsync(
    IReadOnlyList<string> devices, Func<string, string> clientId, Func<string, string> username, Func<string, string> password, string what)
{
    var clients = new ConcurrentBag<(string, IMqttClient)>();
    var clock = Stopwatch.StartNew();
    await MqttLoad.ForEachAsync(devices, 64, async d => clients.Add((d, await MqttLoad.ConnectAsync(options.Mqtt, clientId(d), username(d), password(d)))));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what}: connected {devices.Count} MQTT clients in {clock.Elapsed.TotalSeconds:F1} s"));
    return [.. clients];
}

static async Task DisconnectAllAsync(IEnumerable<IMqttClient> clients)
{
    await MqttLoad.ForEachAsync(clients, 64, async c =>
    {
        try
        {
            await c.DisconnectAsync();
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
        }
        c.Dispose();
    });
}

async Task<int> MemoryRunAsync()
{
    var names = new[] { "dotnet_gc_last_collection_heap_size_bytes", "dotnet_process_memory_working_set_bytes", "dotnet_gc_last_collection_memory_committed_size_bytes" };
    async Task<string> SnapshotAsync()
    {
        var m = await Observe.MetricsAsync(http, names);
        var sensors = await Observe.ActivationsAsync(http, "sensor");
        return string.Create(CultureInfo.InvariantCulture,
            $"silo RSS {Observe.RssMiB(options.SiloPid):F0} MiB, working set {m[names[1]] / 1048576:F0} MiB, GC heap after last GC {m[names[0]] / 1048576:F0} MiB (committed {m[names[2]] / 1048576:F0} MiB), sensor grain activations {sensors}; machine load {Observe.LoadAverage()}");
    }
    Console.WriteLine($"before: {await SnapshotAsync()}");
    await ProvisionAsync(options.Grains, options.PerSite == 0 ? options.Grains : options.PerSite, "grains");
    await Task.Delay(TimeSpan.FromSeconds(10));
    Console.WriteLine($"after {options.Grains} sensors provisioned: {await SnapshotAsync()}");
    return 0;
}

async Task<List<string>> ProvisionAsync(int count, int perSite, string what) => (await ProvisionWithSitesAsync(count, perSite, what)).Devices;

// Registers ceil(count / perSite) sites and provisions count noise sensors on them, options.Concurrency at once.
async Task<(List<string> Devices, List<string> Sites)> ProvisionWithSitesAsync(int count, int perSite, string what)
{
    var clock = Stopwatch.StartNew();
    var sites = new List<string>();
    for (var s = 0; s * perSite < count; s++)
    {
        var site = await PostJsonAsync("/api/sites", officer, new { permitNumber = $"BENCH-{run}-{what}-{s}/2026", parcelId = parcels[s % parcels.Count], zone = "normal" });
        sites.Add(site.GetProperty("id").GetString()!);
    }
    var devices = new string[count];
    var done = 0;
    await MqttLoad.ForEachAsync(Enumerable.Range(0, count), options.Concurrency, async i =>
    {
        var sensor = await PostJsonAsync($"/api/sites/{sites[i / perSite]}/sensors", officer, new { kind = "noise" });
        var deviceId = devices[i] = sensor.GetProperty("deviceId").GetString()!;
        // Each device connects with the MQTT credentials it was provisioned with: the broker refuses anyone else.
        secrets[deviceId] = sensor.GetProperty("mqtt").GetProperty("password").GetString()!;
        if (Interlocked.Increment(ref done) % 1000 == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what}: {done} sensors in {clock.Elapsed.TotalSeconds:F0} s, load {Observe.LoadAverage()}"));
        }
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"provisioned {count} {what} sensors on {sites.Count} sites in {clock.Elapsed.TotalSeconds:F1} s = {count / clock.Elapsed.TotalSeconds:F0} sensors/s ({options.Concurrency} at once); machine load {Observe.LoadAverage()}"));
    return ([.. devices], sites);
}

void ReportLatencies(List<double> latencies, int samples, string when)
{
    latencies.Sort();
    if (latencies.Count > 0)
    {
        double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"alert latency (publish → SignalR 'alert', {when}), {latencies.Count} of {samples}: p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms"));
    }
    else if (samples > 0)
    {
        Console.WriteLine($"alert latency: none of {samples} alerts arrived");
    }
}

static string LoudPack(string device, DateTimeOffset now) =>
    MqttLoad.Senml(device, [(95.0, now.AddSeconds(-2)), (95.0, now.AddSeconds(-1)), (95.0, now)]);

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
    using var client = await MqttLoad.ConnectAsync(options.Mqtt, device, device, secrets[device]);
    foreach (var payload in payloads)
    {
        await MqttLoad.PublishAsync(client, $"hcm/devices/{device}/telemetry", payload);
    }
    await client.DisconnectAsync();
}
