using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HcmCity.Integration.Tests.Infrastructure;

namespace HcmCity.Integration.Tests.Resilience;

/// <summary>
/// The gateway dies with SIGKILL while readings it took from the broker wait in its batch: once it is back (same
/// client id, so the same persistent session) every reading reaches InfluxDB. It holds because a telemetry message is
/// acknowledged to the broker only after its readings are written, so the broker sends the unacknowledged ones again.
/// The platform runs as its own process here, since a test cannot SIGKILL its own.
/// </summary>
public sealed partial class GatewayCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readings_taken_but_not_written_when_the_gateway_is_killed_are_written_after_it_restarts()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await ResilienceDriver.Influx().EnsureDatabaseAsync(Ct);
        await using var broker = await PrivateMosquitto.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        var gatewayId = $"gw-crash-{Guid.NewGuid():N}"[..24];
        const int Packs = 20, PerPack = 10;
        var deviceId = $"crash{Guid.NewGuid():N}"[..20];

        // A flush interval far beyond the test: what the gateway takes stays in its batch, unwritten.
        await using (var first = await PlatformProcess.StartAsync(Settings(database, broker, gatewayId, "00:10:00")))
        {
            await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, "any",
                Enumerable.Range(0, Packs).Select(p => ResilienceDriver.Pack(deviceId, DateTimeOffset.UtcNow.AddMinutes(-3).AddSeconds(p), PerPack)));
            await Eventually.ReturnsAsync(async () => await first.MetricAsync("hcm_gateway_readings_accepted_total") == Packs * PerPack ? "taken" : null);
            Assert.Equal(0, await first.MetricAsync("hcm_gateway_readings_written_total"));
            Assert.Equal(0, await ResilienceDriver.CountAsync(deviceId));

            first.Kill();
        }
        Assert.Equal(0, await ResilienceDriver.CountAsync(deviceId));

        await using var second = await PlatformProcess.StartAsync(Settings(database, broker, gatewayId, "00:00:00.050"));
        try
        {
            await Eventually.ReturnsAsync(async () => await ResilienceDriver.CountAsync(deviceId) == Packs * PerPack ? "all" : null, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"InfluxDB holds {await ResilienceDriver.CountAsync(deviceId)} of the {Packs * PerPack} readings the killed gateway had taken; " +
                $"the restarted one took {await second.MetricAsync("hcm_gateway_readings_accepted_total")}.\n{second.Output}");
        }
        // Sent again by the broker, not found some other way.
        Assert.True(await second.MetricAsync("hcm_gateway_readings_accepted_total") >= Packs * PerPack);
    }

    private static Dictionary<string, string?> Settings(PostgresDatabase database, PrivateMosquitto broker, string gatewayId, string flushInterval) =>
        PlatformInstance.ProductionSettings(database.ConnectionString, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Mqtt"] = broker.HostPort,
            ["Gateway:ClientId"] = gatewayId,
            ["Gateway:FlushInterval"] = flushInterval,
            ["Gateway:BatchSize"] = "100000",
            ["Gateway:BufferDirectory"] = Path.Combine(Path.GetTempPath(), gatewayId),
            ["Orleans:ClusterId"] = $"crash-{Guid.NewGuid():N}",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["LandRecords:SeedParcels"] = "0",
            ["Simulator:Enabled"] = "false",
            ["Demo:Dossiers"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        });

    /// <summary>The platform (HcmCity.Silo.dll) as a child process on a free port, killed with SIGKILL when disposed.</summary>
    private sealed partial class PlatformProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _http;
        private readonly System.Text.StringBuilder _output = new();

        private PlatformProcess(Process process, Uri address)
        {
            _process = process;
            _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        }

        /// <summary>What the process wrote to stdout and stderr so far (for failure messages).</summary>
        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static async Task<PlatformProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            var args = settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")
                .Append($"--urls={address.ToString().TrimEnd('/')}");
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "HcmCity.Silo.dll"), .. args])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            var platform = new PlatformProcess(Process.Start(start)!, address);
            platform._process.OutputDataReceived += (_, e) => platform.Append(e.Data);
            platform._process.ErrorDataReceived += (_, e) => platform.Append(e.Data);
            platform._process.BeginOutputReadLine();
            platform._process.BeginErrorReadLine();
            try
            {
                await Eventually.ReturnsAsync(async () =>
                {
                    Assert.False(platform._process.HasExited, $"the platform exited with {(platform._process.HasExited ? platform._process.ExitCode : 0)}:\n{platform.Output}");
                    using var ready = await platform._http.GetAsync("health/ready", Ct);
                    return ready.IsSuccessStatusCode ? "ready" : null;
                }, TimeSpan.FromSeconds(90));
            }
            catch
            {
                await platform.DisposeAsync();
                throw;
            }
            return platform;
        }

        /// <summary>A counter's value on the Prometheus endpoint (0 before it was first incremented).</summary>
        public async Task<long> MetricAsync(string name)
        {
            var text = await _http.GetStringAsync("metrics", Ct);
            return MetricLine().Matches(text)
                .Where(m => m.Groups["name"].Value == name)
                .Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        }

        /// <summary>SIGKILL: no shutdown, no drain, no goodbye to the broker.</summary>
        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        public ValueTask DisposeAsync()
        {
            Kill();
            _process.Dispose();
            _http.Dispose();
            return ValueTask.CompletedTask;
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        [GeneratedRegex(@"^(?<name>[a-z_]+)(\{[^}]*\})? (?<value>[0-9.e+-]+)", RegexOptions.Multiline)]
        private static partial Regex MetricLine();
    }
}
