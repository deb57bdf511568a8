using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using HcmCity.Gis.Benchmarks;

// Build in Release, then:
//   HcmCity.Gis.Benchmarks --filter '*' --job short     BenchmarkDotNet: mean, P95 and max of iteration means
//   HcmCity.Gis.Benchmarks latency [calls]              per-call mean/p50/p95/p99/max of single checks
// Benchmarks run in-process so that they do not rebuild projects other engineers are compiling.
if (args is ["latency", ..])
{
    Latency.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return;
}

var config = DefaultConfig.Instance.AddColumn(StatisticColumn.P95, StatisticColumn.Max);
string[] inProcess = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(SitePlanCheckBenchmarks).Assembly).Run(inProcess, config);
