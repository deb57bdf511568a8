using System.Diagnostics;

namespace HcmCity.Testing;

/// <summary>Runs the Silo's CLI as its own process, as an operator would: exit code, stdout and stderr.</summary>
public static class SiloProcess
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string[] args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "HcmCity.Silo.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
