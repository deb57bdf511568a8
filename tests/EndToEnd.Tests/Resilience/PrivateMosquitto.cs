using System.Diagnostics;
using System.Net.Sockets;
using HcmCity.Testing;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>
/// A mosquitto of the test's own (the same binary scripts/services.sh runs), on a free port with its data in a temp
/// folder, so it can be killed and restarted without disturbing the shared broker. It persists sessions and queued
/// messages every second (autosave), as a production broker with persistence does; it lets anyone in, since access
/// control is not what the tests using it are about.
/// </summary>
internal sealed class PrivateMosquitto : IAsyncDisposable
{
    private readonly string _directory;
    private Process? _process;

    private PrivateMosquitto(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string HostPort => $"127.0.0.1:{Port}";

    /// <summary>mosquitto's persistence file: present once it has saved sessions and queues.</summary>
    public string PersistenceFile => Path.Combine(_directory, "mosquitto.db");

    public static async Task<PrivateMosquitto> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("hcm-mosquitto-").FullName;
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(directory, "mosquitto.conf"), $"""
            user root
            persistence true
            persistence_location {directory}/
            autosave_interval 1
            log_dest stderr
            listener {port} 127.0.0.1
            allow_anonymous true
            """);
        var broker = new PrivateMosquitto(directory, port);
        await broker.RestartAsync();
        return broker;
    }

    /// <summary>Kills the broker at once (SIGKILL: no goodbye to clients, no final save).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the broker on its port with its saved state and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        var start = new ProcessStartInfo("mosquitto", ["-c", Path.Combine(_directory, "mosquitto.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw TestServices.Unreachable("mosquitto (binary)", "PATH", e);
        }
        _process = process;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await Eventually.TrueAsync(() =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode} at start");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
