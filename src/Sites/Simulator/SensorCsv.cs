using System.Globalization;

namespace HcmCity.Sites.Simulator;

/// <summary>
/// Reads the real sensor files of ../shared/data/sensors (data/README.md there says where they come from). A row
/// that cannot be read, or whose value is no reading, is skipped and counted; it never stops the simulator.
/// </summary>
public static class SensorCsv
{
    public const string NoiseFile = "noise-laeq-1min.csv";
    public const string DustFile = "nha-be-pm-2018-10.csv";

    /// <summary>Where the shared data sits relative to an ancestor of the repository.</summary>
    public static readonly string SharedSensorsFolder = Path.Combine("shared", "data", "sensors");

    /// <summary>The plausible L_Aeq range the gateway accepts (SenML "laeq").</summary>
    private const double MaxDb = 194;

    /// <summary>
    /// The gateway accepts PM up to 999 µg/m³. SDS011-class sensors report 999.9 / 1999.9 when saturated: not a
    /// reading, so such rows are skipped rather than clamped.
    /// </summary>
    private const double MaxUg = 999;

    private static readonly string[] NoiseTimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"];
    private static readonly string[] DustTimeFormats = ["yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>
    /// <c>datetime,LEQ dB -A</c>: one L_Aeq in dB(A) per minute; the file gives no time zone, and only the spacing
    /// of rows matters to a replay. Names: laeq.
    /// </summary>
    /// <returns>The series, or null when no row could be read.</returns>
    public static SensorSeries? ReadNoise(TextReader reader, string source, out int skipped) =>
        Read(reader, source, ["laeq"], ',', NoiseTimeFormats, DateTimeStyles.AssumeUniversal, [(1, MaxDb)], out skipped);

    /// <summary><c>time;pm10_ugm3;pm25_ugm3;temperature_c;humidity_pct</c>, time in UTC. Names: pm10, pm25.</summary>
    /// <returns>The series, or null when no row could be read.</returns>
    public static SensorSeries? ReadDust(TextReader reader, string source, out int skipped) =>
        Read(reader, source, ["pm10", "pm25"], ';', DustTimeFormats, DateTimeStyles.AssumeUniversal, [(1, MaxUg), (2, MaxUg)], out skipped);

    /// <summary>
    /// The configured path (relative to <paramref name="contentRoot"/>), or else <paramref name="fileName"/> in the
    /// first <see cref="SharedSensorsFolder"/> found walking up from <paramref name="contentRoot"/>; null if none.
    /// </summary>
    public static string? Locate(string? configured, string fileName, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, contentRoot);
        }
        for (var folder = new DirectoryInfo(contentRoot); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, SharedSensorsFolder);
            if (Directory.Exists(candidate))
            {
                return Path.Combine(candidate, fileName);
            }
        }
        return null;
    }

    private static SensorSeries? Read(
        TextReader reader, string source, string[] names, char separator, string[] timeFormats, DateTimeStyles styles,
        (int Column, double Max)[] columns, out int skipped)
    {
        skipped = 0;
        var rows = new List<SeriesRow>();
        var first = true;
        while (reader.ReadLine() is { } line)
        {
            var header = first;
            first = false;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var fields = line.Split(separator);
            if (!DateTime.TryParseExact(fields[0].Trim(), timeFormats, CultureInfo.InvariantCulture, styles | DateTimeStyles.AdjustToUniversal, out var time))
            {
                // The first line is the header.
                skipped += header ? 0 : 1;
                continue;
            }
            var values = new double[columns.Length];
            var ok = true;
            for (var i = 0; i < columns.Length && ok; i++)
            {
                var (column, max) = columns[i];
                ok = column < fields.Length
                    && double.TryParse(fields[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])
                    && double.IsFinite(values[i]) && values[i] >= 0 && values[i] <= max;
            }
            if (!ok)
            {
                skipped++;
                continue;
            }
            rows.Add(new SeriesRow(new DateTimeOffset(time, TimeSpan.Zero), values));
        }
        return rows.Count == 0 ? null : new SensorSeries(source, names, rows);
    }
}
