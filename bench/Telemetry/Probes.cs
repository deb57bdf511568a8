using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.TelemetryLoad;

/// <summary>MQTT connections of the load: one client per device, QoS 1 publications.</summary>
public static class MqttLoad
{
    public static async Task<IMqttClient> ConnectAsync(
        string endpoint, string clientId, string username, string password,
        MQTTnet.Formatter.MqttProtocolVersion protocol = MQTTnet.Formatter.MqttProtocolVersion.V311, CancellationToken cancellationToken = default)
    {
        var separator = endpoint.LastIndexOf(':');
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint[..separator], int.Parse(endpoint[(separator + 1)..], CultureInfo.InvariantCulture))
            .WithProtocolVersion(protocol)
            .WithClientId(clientId)
            .WithCredentials(username, password)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build(), cancellationToken);
        return client;
    }

    public static Task PublishAsync(IMqttClient client, string topic, string payload, CancellationToken cancellationToken = default) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);

    /// <summary>Runs <paramref name="action"/> for every item, at most <paramref name="parallel"/> at once.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallel, Func<T, Task> action) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) => await action(item));

    /// <summary>
    /// A SenML pack of noise readings: base time and offsets in seconds with millisecond precision (the gateway and
    /// InfluxDB keep milliseconds, so readings of a device must differ by at least one).
    /// </summary>
    public static string Senml(string device, IReadOnlyList<(double Value, DateTimeOffset Time)> readings)
    {
        var baseMs = readings[0].Time.ToUnixTimeMilliseconds();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[{{\"bn\":\"urn:dev:hcm:{device}:\",\"bt\":{baseMs / 1000.0:0.###}");
        for (var i = 0; i < readings.Count; i++)
        {
            text.Append(i == 0 ? "," : ",{")
                .Append(CultureInfo.InvariantCulture,
                    $"\"n\":\"laeq\",\"u\":\"dBA\",\"v\":{readings[i].Value},\"t\":{(readings[i].Time.ToUnixTimeMilliseconds() - baseMs) / 1000.0:0.###}}}");
        }
        return text.Append(']').ToString();
    }
}

/// <summary>
/// mosquitto's dynamic-security plugin, driven by its admin account: commands on $CONTROL/dynamic-security/v1, one
/// at a time, each answered on .../response.
/// </summary>
public sealed class DynsecAdmin : IAsyncDisposable
{
    private const string ControlTopic = "$CONTROL/dynamic-security/v1";
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _one = new(1, 1);
    private TaskCompletionSource<string> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DynsecAdmin(IMqttClient client) => _client = client;

    public static async Task<DynsecAdmin> ConnectAsync(string endpoint, string credentials)
    {
        var separator = credentials.IndexOf(':', StringComparison.Ordinal);
        var client = await MqttLoad.ConnectAsync(endpoint, $"hcm-bench-admin-{Guid.NewGuid():N}"[..28], credentials[..separator], credentials[(separator + 1)..]);
        var admin = new DynsecAdmin(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            admin._answer.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(ControlTopic + "/response", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return admin;
    }

    /// <summary>Sends the commands in one message; returns the plugin's answer (errors are reported per command in it).</summary>
    public async Task<string> ExecuteAsync(IEnumerable<JsonObject> commands)
    {
        await _one.WaitAsync();
        try
        {
            _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
            var body = new JsonObject { ["commands"] = new JsonArray([.. commands]) };
            await MqttLoad.PublishAsync(_client, ControlTopic, body.ToJsonString());
            return await _answer.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>A client with a role of its own granting <paramref name="acls"/> (acltype, topic pairs).</summary>
    public Task<string> CreateClientAsync(string username, string password, params (string Type, string Topic)[] acls) => ExecuteAsync(
    [
        new JsonObject
        {
            ["command"] = "createRole",
            ["rolename"] = username,
            ["acls"] = new JsonArray([.. acls.Select(a => new JsonObject { ["acltype"] = a.Type, ["topic"] = a.Topic, ["allow"] = true })]),
        },
        new JsonObject
        {
            ["command"] = "createClient",
            ["username"] = username,
            ["password"] = password,
            ["roles"] = new JsonArray(new JsonObject { ["rolename"] = username }),
        },
    ]);

    /// <summary>Deletes clients and roles, <paramref name="perMessage"/> commands per message.</summary>
    public async Task DeleteAsync(IEnumerable<string> clients, IEnumerable<string> roles, int perMessage = 200)
    {
        var commands = clients.Select(c => new JsonObject { ["command"] = "deleteClient", ["username"] = c })
            .Concat(roles.Select(r => new JsonObject { ["command"] = "deleteRole", ["rolename"] = r }));
        foreach (var chunk in commands.Chunk(perMessage))
        {
            await ExecuteAsync(chunk);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
        _one.Dispose();
    }
}

/// <summary>What the platform and the machine say: Prometheus counters, InfluxDB counts, a process's memory.</summary>
public static class Observe
{
    /// <summary>Sum of every series of a metric in the silo's /metrics (Prometheus text), or 0 when absent.</summary>
    public static async Task<Dictionary<string, double>> MetricsAsync(HttpClient http, params string[] names)
    {
        var text = await http.GetStringAsync("metrics");
        var sums = names.ToDictionary(n => n, _ => 0.0, StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            var nameEnd = line.IndexOfAny(['{', ' ']);
            var name = nameEnd < 0 ? line : line[..nameEnd];
            if (sums.ContainsKey(name) && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sums[name] += value;
            }
        }
        return sums;
    }

    /// <summary>Activations of grain types whose name contains <paramref name="grainType"/> (Orleans catalog gauge; the
    /// catalog's "working set" gauge counts only recently used ones).</summary>
    public static async Task<long> ActivationsAsync(HttpClient http, string grainType)
    {
        var text = await http.GetStringAsync("metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith("orleans_catalog_activations{", StringComparison.Ordinal)
                && l.Contains(grainType, StringComparison.OrdinalIgnoreCase))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Points of measurement "telemetry" whose time is in [from, to), counted by InfluxDB.</summary>
    public static async Task<long> InfluxCountAsync(HttpClient http, Uri influx, string database, DateTimeOffset from, DateTimeOffset to)
    {
        var query = string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(\"value\") FROM \"telemetry\" WHERE time >= {from.ToUnixTimeMilliseconds()}ms AND time < {to.ToUnixTimeMilliseconds()}ms");
        var answer = await http.GetFromJsonAsync<JsonElement>(new Uri(influx, $"query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString(query)}"));
        var result = answer.GetProperty("results")[0];
        return result.TryGetProperty("series", out var series) ? series[0].GetProperty("values")[0][1].GetInt64() : 0;
    }

    /// <summary>Resident set size of a process in MiB (/proc/{pid}/status VmRSS), or null when it cannot be read.</summary>
    public static double? RssMiB(int? pid)
    {
        var path = $"/proc/{pid}/status";
        if (pid is null || !File.Exists(path))
        {
            return null;
        }
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

/// <summary>
/// The baseline's subscriber, run as a process of its own (as the gateway is): <c>--count host:port user:password
/// topic</c> prints "ready" once subscribed, then the number of messages received so far every 100 ms, until killed.
/// In the load tool's own process it would compete with the publishers' thousands of connections for threads.
/// </summary>
public static class CountingSubscriber
{
    public static async Task<int> RunAsync(string endpoint, string credentials, string topic)
    {
        var separator = credentials.IndexOf(':', StringComparison.Ordinal);
        // MQTT 5 like the gateway: its receive maximum (65,535) lets the broker keep that many QoS 1 messages in
        // flight, where an MQTT 3.1.1 client gets mosquitto's max_inflight_messages (20).
        using var client = await MqttLoad.ConnectAsync(
            endpoint, $"hcm-bench-count-{Guid.NewGuid():N}"[..28], credentials[..separator], credentials[(separator + 1)..], MQTTnet.Formatter.MqttProtocolVersion.V500);
        long received = 0;
        client.ApplicationMessageReceivedAsync += _ =>
        {
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Console.WriteLine("ready");
        while (client.IsConnected)
        {
            await Task.Delay(100);
            Console.WriteLine(Interlocked.Read(ref received).ToString(CultureInfo.InvariantCulture));
        }
        return 1;
    }

    /// <summary>Starts this tool as a counting subscriber; <paramref name="count"/> follows its output.</summary>
    public static async Task<System.Diagnostics.Process> StartAsync(string endpoint, string credentials, string topic, Action<long> count)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CountingSubscriber).Assembly.Location);
        }
        foreach (var arg in new[] { "--count", endpoint, credentials, topic })
        {
            start.ArgumentList.Add(arg);
        }
        var process = System.Diagnostics.Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
            else if (long.TryParse(e.Data, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                count(n);
            }
        };
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return process;
    }
}
