using System.Diagnostics;
using System.Globalization;
using HcmCity.Gis.Compliance;

namespace HcmCity.Gis.Benchmarks;

/// <summary>
/// Per-call latency: BenchmarkDotNet's statistics are over iteration means, so the p99 of single calls is
/// measured here by timing each call on its own.
/// </summary>
public static class Latency
{
    public static void Run(int calls)
    {
        var scenarios = new (string Name, (ParcelFacts Parcel, SitePlan Plan) Input)[]
        {
            ("TypicalLot", Scenarios.TypicalLot()),
            ("Parcel500Vertices", Scenarios.Parcel500Vertices()),
            ("FailingLotWithViolationGeometry", Scenarios.FailingLot()),
        };

        Console.WriteLine($"Per-call latency of SitePlanChecker.Check over {calls} calls after {calls / 10} warm-up calls (µs)");
        // Wall-clock tails include time the thread waits for a core: state the machine's load beside them.
        if (File.Exists("/proc/loadavg"))
        {
            Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        }

        Console.WriteLine($"{"Scenario",-34}{"mean",10}{"p50",10}{"p95",10}{"p99",10}{"max",10}");
        foreach (var (name, (parcel, plan)) in scenarios)
        {
            for (var i = 0; i < calls / 10; i++)
            {
                SitePlanChecker.Check(parcel, plan, Scenarios.Existing);
            }

            var micros = new double[calls];
            for (var i = 0; i < calls; i++)
            {
                var start = Stopwatch.GetTimestamp();
                SitePlanChecker.Check(parcel, plan, Scenarios.Existing);
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(micros);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-34}{micros.Average(),10:0.0}{At(micros, 0.50),10:0.0}{At(micros, 0.95),10:0.0}{At(micros, 0.99),10:0.0}{micros[^1],10:0.0}"));
        }
    }

    private static double At(double[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
