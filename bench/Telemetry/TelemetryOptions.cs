using System.Globalization;

namespace HcmCity.TelemetryLoad;

/// <summary>Command line: <c>--url --mqtt --devices --messages --records --alerts</c>.</summary>
public sealed record TelemetryOptions
{
    public Uri BaseAddress { get; init; } = new("http://127.0.0.1:5080/");

    /// <summary>host:port of the broker the gateway subscribes to.</summary>
    public string Mqtt { get; init; } = "127.0.0.1:1883";

    /// <summary>Sensors publishing at once, each on its own MQTT connection.</summary>
    public int Devices { get; init; } = 100;

    /// <summary>SenML packs per device.</summary>
    public int Messages { get; init; } = 50;

    /// <summary>Readings per pack.</summary>
    public int Records { get; init; } = 10;

    /// <summary>Alert latency samples (one extra sensor each).</summary>
    public int Alerts { get; init; } = 5;

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
