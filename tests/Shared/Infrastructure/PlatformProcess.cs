using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace HcmCity.Testing;

/// <summary>
/// The Silo as its own process (<c>dotnet HcmCity.Silo.dll</c> from the Silo's own directory, as an operator runs it,
/// appsettings.json included), serving the platform on a loopback port, with everything it writes to stdout and
/// stderr kept: for tests of what the platform logs. <see cref="PlatformInstance"/> runs the same host in the test
/// process, where its console output cannot be told apart from other tests'.
/// </summary>
public sealed partial class PlatformProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private PlatformProcess(Process process)
    {
        _process = process;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client without a cookie jar (demo sign-in sets a token cookie that would outrank the header).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Everything the process wrote to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything the process wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>
    /// Starts the platform with the embedded defaults of <see cref="PlatformInstance.StartAsync"/> (free ports, no
    /// simulator or demo dossiers); <paramref name="settings"/> are added as command-line configuration. Returns once
    /// /health/ready answers 200.
    /// </summary>
    public static async Task<PlatformProcess> StartAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["ConnectionStrings:Mqtt"] = $"127.0.0.1:{FreePort.Next()}",
            ["LandRecords:SeedParcels"] = "200",
            ["Simulator:Enabled"] = "false",
            ["Demo:Dossiers"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            // The Silo's own directory is its content root: appsettings.json applies, as for an operator.
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HcmCity.Silo.dll"));
        foreach (var (key, value) in all.Where(kv => kv.Value is not null))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = new Process { StartInfo = start };
        var platform = new PlatformProcess(process);
        process.OutputDataReceived += (_, e) => platform.Append(platform._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => platform.Append(platform._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await platform.WaitUntilReadyAsync(cancellationToken);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the platform as an orchestrator does (SIGTERM: graceful shutdown, which flushes the loggers) and
    /// returns its exit code once every line it wrote has been read.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])
            {
                UseShellExecute = false,
            })!;
            await kill.WaitForExitAsync();
            using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The platform did not stop within {timeout ?? TimeSpan.FromSeconds(60)} of SIGTERM.");
            }
        }
        // Without a timeout, WaitForExit also waits for the redirected streams to be read to their end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as a crash: no shutdown, no drain, no goodbye to the broker or the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>The sum of a metric's series on the Prometheus endpoint (0 before it was first recorded).</summary>
    public async Task<long> MetricAsync(string name, CancellationToken cancellationToken)
    {
        var text = await Http.GetStringAsync("/metrics", cancellationToken);
        return MetricLine().Matches(text)
            .Where(m => m.Groups["name"].Value == name)
            .Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            output.Append(line).Append('\n');
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (BaseAddress is null)
        {
            // Kestrel chose the port: Microsoft.Hosting.Lifetime says which.
            if (ListeningOn().Match(Stdout) is { Success: true } match)
            {
                BaseAddress = new Uri(match.Groups[1].Value + "/");
                break;
            }
            ThrowIfGone(deadline, "to listen");
            await Task.Delay(100, cancellationToken);
        }

        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            ThrowIfGone(deadline, "to be ready");
            await Task.Delay(200, cancellationToken);
        }
    }

    private void ThrowIfGone(DateTime deadline, string what)
    {
        if (_process.HasExited || DateTime.UtcNow > deadline)
        {
            var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "timed out";
            throw new InvalidOperationException(
                $"The platform process {state} waiting {what}.\nstderr:\n{Tail(Stderr)}\nstdout:\n{Tail(Stdout)}");
        }
    }

    private static string Tail(string text) => text.Length <= 8000 ? text : text[^8000..];

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{[^}]*\})? (?<value>[0-9.e+-]+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}
