using System.Globalization;

namespace HcmCity.ApiLoad;

/// <summary>Command line of the load tool: <c>--url --clients --duration --requests --warmup --scenarios --rate</c>.</summary>
public sealed record LoadOptions
{
    public Uri BaseAddress { get; init; } = new("http://127.0.0.1:5080/");

    /// <summary>Concurrent workers, each with one request in flight.</summary>
    public int Clients { get; init; } = 50;

    /// <summary>
    /// Open loop: total requests per second offered, spread evenly over the <see cref="Clients"/> (each one every
    /// Clients / Rate seconds). Null: closed loop, each worker sends its next request as soon as the last returns.
    /// </summary>
    public int? Rate { get; init; }

    /// <summary>Measured time per scenario; the scenario also stops at <see cref="Requests"/>.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Most requests measured per scenario.</summary>
    public int Requests { get; init; } = 200_000;

    /// <summary>Unmeasured requests per scenario first, so JIT, connection set-up and caches are not counted.</summary>
    public int Warmup { get; init; } = 500;

    public IReadOnlyList<string> Scenarios { get; init; } = Scenario.Keys;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--url" => options with { BaseAddress = new Uri(value.EndsWith('/') ? value : value + "/") },
                "--clients" => options with { Clients = Positive(value, "--clients") },
                "--rate" => options with { Rate = Positive(value, "--rate") },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(value, "--duration")) },
                "--requests" => options with { Requests = Positive(value, "--requests") },
                "--warmup" => options with { Warmup = int.Parse(value, CultureInfo.InvariantCulture) },
                "--scenarios" => options with { Scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
            i++;
        }

        var unknown = options.Scenarios.Except(Scenario.Keys).ToList();
        return unknown.Count == 0
            ? options
            : throw new ArgumentException($"Unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Scenario.Keys)}.");
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive integer.");
}
