using System.Diagnostics;
using System.Globalization;
using System.Net;
using HcmCity.ApiLoad;

// Load tool for the land-records API. Against the embedded host:
//   dotnet run --project src/Silo -c Release
//   dotnet run --project bench/ApiLoad -c Release -- --url http://127.0.0.1:5080 --clients 50 --duration 15
// Options: --requests N (cap per scenario), --warmup N, --scenarios at,ogc,tile-z14,tile-z16,site-plans,public,public-sites.
// Closed loop by default: each client sends its next request as soon as the last one returns, so the clients
// saturate the server and, past that, the percentiles measure queueing (Little's law: mean latency = clients / req/s).
// Open loop with --rate R: R requests per second in total, each client sending one every clients/R s from a
// random phase, whether or not the server keeps up. A request due while its client still waits for an answer
// goes out when that comes, and its latency counts from when it was due (no coordinated omission); the output
// compares achieved with offered req/s and shows the tool's own timer lag, which is not counted:
//   dotnet run --project bench/ApiLoad -c Release -- --url http://127.0.0.1:5080 --clients 50 --rate 3000 --scenarios at
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

// The public figures need no parcels: a platform seeded with dossiers alone (public-figures-seed.sql) is measured as is.
var points = options.Scenarios.All(Scenario.PublicKeys.Contains)
    ? new SamplePoints([], [])
    : await SamplePoints.LoadAsync(http, pages: 5, stop.Token);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.BaseAddress} — {options.Clients} clients, {options.Duration.TotalSeconds:F0} s or {options.Requests} requests per scenario, {points.Count} sample parcels"));
Console.WriteLine(options.Rate is { } offered
    ? string.Create(CultureInfo.InvariantCulture,
        $"Open loop: {offered} req/s offered, one request per client every {1000.0 * options.Clients / offered:F2} ms; latency from the scheduled start.")
    : "Closed loop: each client sends its next request when the last one returns.");
Console.WriteLine();
Console.WriteLine($"{"scenario",-28} {"requests",9} {"errors",7} {"time s",8} {"req/s",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}  target");

foreach (var scenario in Scenario.All.Where(s => options.Scenarios.Contains(s.Key)))
{
    await LoadRunner.RunAsync(http, scenario, points, options with { Duration = TimeSpan.Zero, Requests = Math.Max(options.Warmup, 1), Rate = null }, stop.Token);
    var result = await LoadRunner.RunAsync(http, scenario, points, options, stop.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{scenario.Name,-28} {result.Count,9} {result.Errors,7} {result.Elapsed.TotalSeconds,8:F2} {result.Throughput,9:F0} {result.Percentile(50),8:F2} {result.Percentile(95),8:F2} {result.Percentile(99),8:F2} {result.Max,8:F2}  {scenario.Target}"));
    if (options.Rate is { } rate)
    {
        // Errors count as sent: they kept to the schedule too.
        var keptUp = result.Sent >= Math.Min(0.98 * rate * options.Duration.TotalSeconds, options.Requests);
        var lags = result.TimerLags ?? [];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  offered {rate} req/s, achieved {result.Sent / result.Elapsed.TotalSeconds:F0} req/s{(keptUp ? "" : " — COULD NOT KEEP UP with the offered rate")}; due while the client still waited: {100.0 * result.Late / Math.Max(result.Sent, 1):F1} %; timer lag (not counted) p50 {LoadResult.Percentile(lags, 50):F2}, p99 {LoadResult.Percentile(lags, 99):F2} ms"));
    }

    if (result.FirstError is { } error)
    {
        Console.WriteLine($"  first error: {error}");
    }
}

return 0;

/// <summary>Runs one scenario with N workers until the duration or the request count is reached.</summary>
internal static class LoadRunner
{
    /// <summary>
    /// Closed loop without <see cref="LoadOptions.Rate"/>. With it, worker w sends its k-th request at
    /// phase_w + k × Clients / Rate seconds (phase_w random within one interval). A request that is due while the
    /// worker still waits for the last answer is sent as soon as that comes and its latency counts from when it
    /// was due, not from when the held-up worker got round to sending it: no coordinated omission.
    /// </summary>
    public static async Task<LoadResult> RunAsync(
        HttpClient http, Scenario scenario, SamplePoints points, LoadOptions options, CancellationToken cancellationToken)
    {
        var issued = 0;
        var clock = Stopwatch.StartNew();
        double Now() => clock.Elapsed.TotalSeconds;
        var deadline = options.Duration == TimeSpan.Zero ? double.MaxValue : options.Duration.TotalSeconds;
        double? interval = options.Rate is { } rate ? (double)options.Clients / rate : null;
        var workers = Enumerable.Range(0, options.Clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker * 7919 + scenario.Key.Length);
            var latencies = new List<double>();
            var timerLags = new List<double>();
            var late = 0;
            var errors = 0;
            string? firstError = null;
            // Open loop: when the next request is due, in seconds from the start.
            var scheduled = interval is { } first ? random.NextDouble() * first : 0;
            while (!cancellationToken.IsCancellationRequested && Now() < deadline && (interval is null || scheduled < deadline)
                   && Interlocked.Increment(ref issued) <= options.Requests)
            {
                var started = Now();
                if (interval is { } gap)
                {
                    if (started >= scheduled)
                    {
                        // The last answer came after this request was due: the wait is the server's, and counts.
                        late++;
                        started = scheduled;
                    }
                    else
                    {
                        // Timers fire to the millisecond, so a request may go out up to 1 ms early, or late when the
                        // timer is: either way its latency counts from the send, and the lateness is the tool's.
                        for (var wait = scheduled - started; wait > 0.001; wait = scheduled - started)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
                            started = Now();
                        }

                        timerLags.Add(Math.Max(0, started - scheduled) * 1000);
                    }

                    scheduled += gap;
                }

                var path = scenario.NextPath(points, random);
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

                latencies.Add((Now() - started) * 1000);
            }

            return (latencies, timerLags, late, errors, firstError);
        }, cancellationToken)).ToList();

        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        return new LoadResult(
            Sorted(results.SelectMany(r => r.latencies)), results.Sum(r => r.errors), elapsed,
            results.Select(r => r.firstError).FirstOrDefault(e => e is not null),
            results.Sum(r => r.late), Sorted(results.SelectMany(r => r.timerLags)));
    }

    private static double[] Sorted(IEnumerable<double> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}

/// <summary>
/// Sorted latencies (ms) of the successful requests of one run. Open loop only: <paramref name="Late"/> requests
/// were due before the last answer of their worker came; the others waited for a timer, which fired
/// <paramref name="TimerLags"/> (sorted, ms) after the due time.
/// </summary>
internal sealed record LoadResult(
    double[] Latencies, int Errors, TimeSpan Elapsed, string? FirstError, int Late = 0, double[]? TimerLags = null)
{
    public int Count => Latencies.Length;

    /// <summary>Requests answered, successfully or not.</summary>
    public int Sent => Count + Errors;

    public double Throughput => Count / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public double Max => Percentile(Latencies, 100);

    public double Percentile(double p) => Percentile(Latencies, p);

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
