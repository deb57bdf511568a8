using System.Globalization;

namespace HcmCity.TelemetryLoad;

/// <summary>
/// Command line: <c>--url --mqtt --devices --messages --records --alerts</c> (the original fixed-count run) and the
/// end-to-end options <c>--duration --warmup --rate --concurrency --mqtt-admin --influx --influx-db --silo-pid
/// --grains --per-site --device-account</c> (see Program.cs).
/// </summary>
public sealed record TelemetryOptions
{
    public Uri BaseAddress { get; init; } = new("http://127.0.0.1:5080/");

    /// <summary>host:port of the broker the gateway subscribes to.</summary>
    public string Mqtt { get; init; } = "127.0.0.1:1883";

    /// <summary>Sensors publishing at once, each on its own MQTT connection.</summary>
    public int Devices { get; init; } = 100;

    /// <summary>SenML packs per device (fixed-count run, <see cref="Duration"/> 0).</summary>
    public int Messages { get; init; } = 50;

    /// <summary>Readings per pack.</summary>
    public int Records { get; init; } = 10;

    /// <summary>Alert latency samples (one extra sensor each).</summary>
    public int Alerts { get; init; } = 5;

    /// <summary>Sustained run: seconds of the measured window (0 = the fixed-count run of <see cref="Messages"/> packs).</summary>
    public int Duration { get; init; }

    /// <summary>Sustained run: seconds of publishing before the window opens.</summary>
    public int Warmup { get; init; } = 5;

    /// <summary>Sustained run: readings/s offered by all devices together (0 = each device as fast as QoS 1 acks allow).</summary>
    public int Rate { get; init; }

    /// <summary>Sensors provisioned at once over the HTTP API.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>
    /// "user:password" of mosquitto's dynamic-security admin: enables the broker's own pub→sub baseline (temporary
    /// accounts on another topic prefix) and deletes the run's device accounts at the end.
    /// </summary>
    public string? MqttAdmin { get; init; }

    /// <summary>InfluxDB base URL (v1 API): readings written there in the window are counted.</summary>
    public Uri? Influx { get; init; }

    public string InfluxDatabase { get; init; } = "hcmcity";

    /// <summary>The silo's process id on this machine: its resident memory is reported (/proc/{pid}/status).</summary>
    public int? SiloPid { get; init; }

    /// <summary>Memory run: provision this many sensors (each activates its Sensor grain), publish nothing, report memory.</summary>
    public int Grains { get; init; }

    /// <summary>
    /// Sustained run with <see cref="MqttAdmin"/>: the devices connect (each with its own client id) under one temporary
    /// dynamic-security account allowed to publish to hcm/devices/+/telemetry, for a host that creates no broker account
    /// per sensor (mosquitto 2.0's plugin rewrites its whole JSON file on every change: 10,000 accounts take minutes).
    /// </summary>
    public bool SharedDeviceAccount { get; init; }

    /// <summary>Load sensors per construction site (0 = all on one site); alert sensors always share one site.</summary>
    public int PerSite { get; init; }

    public static TelemetryOptions Parse(string[] args)
    {
        var options = new TelemetryOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--url" => options with { BaseAddress = new Uri(value.EndsWith('/') ? value : value + "/") },
                "--mqtt" => options with { Mqtt = value },
                "--devices" => options with { Devices = Positive(value, "--devices") },
                "--messages" => options with { Messages = Positive(value, "--messages") },
                "--records" => options with { Records = Math.Min(Positive(value, "--records"), 256) },
                "--alerts" => options with { Alerts = int.Parse(value, CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = Positive(value, "--duration") },
                "--warmup" => options with { Warmup = int.Parse(value, CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = int.Parse(value, CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = Positive(value, "--concurrency") },
                "--mqtt-admin" => options with
                {
                    MqttAdmin = value.Contains(':', StringComparison.Ordinal) ? value : throw new ArgumentException("--mqtt-admin is user:password."),
                },
                "--influx" => options with { Influx = new Uri(value.EndsWith('/') ? value : value + "/") },
                "--influx-db" => options with { InfluxDatabase = value },
                "--silo-pid" => options with { SiloPid = Positive(value, "--silo-pid") },
                "--device-account" => options with
                {
                    SharedDeviceAccount = value switch
                    {
                        "shared" => true,
                        "own" => false,
                        _ => throw new ArgumentException("--device-account is own (the provisioned credentials) or shared."),
                    },
                },
                "--per-site" => options with { PerSite = Positive(value, "--per-site") },
                "--grains" => options with { Grains = Positive(value, "--grains") },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        return options;
    }

    private static int Positive(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer.");
}
