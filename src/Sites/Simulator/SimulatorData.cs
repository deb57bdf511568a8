using Microsoft.Extensions.Logging;

namespace HcmCity.Sites.Simulator;

/// <summary>The series the simulated devices replay, one per sensor kind.</summary>
public sealed record SimulatorData(SensorSeries Noise, SensorSeries Dust, SensorSeries Vibration, SensorSeries Tilt)
{
    /// <summary>
    /// Reads the noise and dust CSV files; a file that is missing or yields no row is replaced by its synthetic
    /// series, with one warning for all of them, so the simulator always starts.
    /// </summary>
    public static SimulatorData Load(SimulatorOptions options, string contentRoot, ILogger logger)
    {
        var missing = new List<string>();
        var noise = Read(SensorCsv.Locate(options.NoiseCsv, SensorCsv.NoiseFile, contentRoot), SensorCsv.NoiseFile, SensorCsv.ReadNoise, missing, logger)
            ?? SyntheticSeries.Noise();
        var dust = Read(SensorCsv.Locate(options.DustCsv, SensorCsv.DustFile, contentRoot), SensorCsv.DustFile, SensorCsv.ReadDust, missing, logger)
            ?? SyntheticSeries.Dust();
        if (missing.Count > 0)
        {
            logger.LogWarning(
                "Sensor data not found ({Missing}); simulated sensors replay a synthetic day instead. Set {Section}:NoiseCsv and {Section}:DustCsv, or keep ../shared/data/sensors beside the repository",
                string.Join("; ", missing), SimulatorOptions.Section, SimulatorOptions.Section);
        }
        return new SimulatorData(noise, dust, SyntheticSeries.Vibration(), SyntheticSeries.Tilt());
    }

    private delegate SensorSeries? CsvReader(TextReader reader, string source, out int skipped);

    private static SensorSeries? Read(string? path, string fileName, CsvReader read, List<string> missing, ILogger logger)
    {
        if (path is null || !File.Exists(path))
        {
            missing.Add(path ?? $"{fileName}: no {SensorCsv.SharedSensorsFolder} folder above the content root");
            return null;
        }
        try
        {
            using var reader = File.OpenText(path);
            var series = read(reader, Path.GetFileName(path), out var skipped);
            if (series is null)
            {
                missing.Add($"{path}: no readable row");
                return null;
            }
            if (skipped > 0)
            {
                logger.LogDebug("Skipped {Skipped} unreadable or saturated rows of {Path}", skipped, path);
            }
            return series;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            missing.Add($"{path}: {e.Message}");
            return null;
        }
    }
}
