using System.Diagnostics;
using System.Globalization;
using System.Net;
using HcmCity.ApiLoad;

// Load tool for the land-records API. Against the embedded host:
//   dotnet run --project src/Silo -c Release
//   dotnet run --project bench/ApiLoad -c Release -- --url http://127.0.0.1:5080 --clients 50 --duration 15
// Options: --requests N (cap per scenario), --warmup N, --scenarios at,ogc,tile-z14,tile-z16,site-plans.
// Site-plan checks, N requests with C in flight (target: 10,000 checks ≤ 10 s):
//   dotnet run --project bench/ApiLoad -c Release -- --scenarios site-plans --requests 10000 --clients 32 --duration 600
// Prints latency percentiles and throughput per scenario, to compare with the targets in the README.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Clients,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    AutomaticDecompression = DecompressionMethods.None,
    UseProxy = false,
};
using var http = new HttpClient(handler) { BaseAddress = options.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var points = await SamplePoints.LoadAsync(http, pages: 5, stop.Token);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.BaseAddress} — {options.Clients} clients, {options.Duration.TotalSeconds:F0} s or {options.Requests} requests per scenario, {points.Count} sample parcels"));
Console.WriteLine();
Console.WriteLine($"{"scenario",-28} {"requests",9} {"errors",7} {"time s",8} {"req/s",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}  target");

foreach (var scenario in Scenario.All.Where(s => options.Scenarios.Contains(s.Key)))
{
    await LoadRunner.RunAsync(http, scenario, points, options with { Duration = TimeSpan.Zero, Requests = Math.Max(options.Warmup, 1) }, stop.Token);
    var result = await LoadRunner.RunAsync(http, scenario, points, options, stop.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{scenario.Name,-28} {result.Count,9} {result.Errors,7} {result.Elapsed.TotalSeconds,8:F2} {result.Throughput,9:F0} {result.Percentile(50),8:F2} {result.Percentile(95),8:F2} {result.Percentile(99),8:F2} {result.Max,8:F2}  {scenario.Target}"));
    if (result.FirstError is { } error)
    {
        Console.WriteLine($"  first error: {error}");
    }
}

return 0;

/// <summary>Runs one scenario with N workers until the duration or the request count is reached.</summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(
        HttpClient http, Scenario scenario, SamplePoints points, LoadOptions options, CancellationToken cancellationToken)
    {
        var issued = 0;
        var clock = Stopwatch.StartNew();
        var deadline = options.Duration == TimeSpan.Zero ? TimeSpan.MaxValue : options.Duration;
        var workers = Enumerable.Range(0, options.Clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker * 7919 + scenario.Key.Length);
            var latencies = new List<double>();
            var errors = 0;
            string? firstError = null;
            while (!cancellationToken.IsCancellationRequested && clock.Elapsed < deadline && Interlocked.Increment(ref issued) <= options.Requests)
            {
                var path = scenario.NextPath(points, random);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(scenario.NextBody is null ? HttpMethod.Get : HttpMethod.Post, path);
                    if (scenario.NextBody is { } nextBody)
                    {
                        request.Content = new ByteArrayContent(nextBody(points, random));
                        request.Content.Headers.ContentType = new("application/json");
                    }
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await body.CopyToAsync(Stream.Null, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors++;
                        firstError ??= $"{(int)response.StatusCode} for {path}";
                        continue;
                    }
                }
                catch (HttpRequestException e)
                {
                    errors++;
                    firstError ??= $"{e.Message} for {path}";
                    continue;
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return (latencies, errors, firstError);
        }, cancellationToken)).ToList();

        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = results.SelectMany(r => r.latencies).ToArray();
        Array.Sort(all);
        return new LoadResult(all, results.Sum(r => r.errors), elapsed, results.Select(r => r.firstError).FirstOrDefault(e => e is not null));
    }
}

/// <summary>Sorted latencies (ms) of the successful requests of one run.</summary>
internal sealed record LoadResult(double[] Latencies, int Errors, TimeSpan Elapsed, string? FirstError)
{
    public int Count => Latencies.Length;

    public double Throughput => Count / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double Max => Count == 0 ? double.NaN : Latencies[^1];

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p) =>
        Count == 0 ? double.NaN : Latencies[Math.Clamp((int)Math.Ceiling(p / 100 * Count) - 1, 0, Count - 1)];
}
