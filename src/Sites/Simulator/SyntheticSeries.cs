namespace HcmCity.Sites.Simulator;

/// <summary>
/// One synthetic day (Ho Chi Minh City time) per sensor kind, deterministic by seed. Vibration and tilt have no
/// public recording, so they are always synthetic; noise and dust stand in for missing CSV files. Shapes, not
/// measurements: a working day from 07:00 to 17:00 with piling bursts and one afternoon of settlement.
/// </summary>
public static class SyntheticSeries
{
    public const string Source = "synthetic";

    /// <summary>HCMC is UTC+7 with no daylight saving; the day is anchored at local midnight of 2026-01-05.</summary>
    private static readonly DateTimeOffset Midnight = new(2026, 1, 5, 0, 0, 0, TimeSpan.FromHours(7));

    /// <summary>Ambient L_Aeq per minute: ~47 dB(A) at night, ~53 dB(A) in working hours, like the real file.</summary>
    public static SensorSeries Noise(int seed = 1) => Day(seed, TimeSpan.FromMinutes(1), ["laeq"], (hour, random) =>
        [Math.Round(46 + 7 * Working(hour) + Spread(random, 3), 2)]);

    /// <summary>PM10/PM2.5 every 150 s (the real sensor's pace): traffic peaks at 07:00 and 18:00.</summary>
    public static SensorSeries Dust(int seed = 2) => Day(seed, TimeSpan.FromSeconds(150), ["pm10", "pm25"], (hour, random) =>
    {
        var pm25 = 18 + 12 * (Peak(hour, 7) + Peak(hour, 18)) + Spread(random, 4);
        return [Math.Round(pm25 * 1.7 + Spread(random, 3), 2), Math.Round(pm25, 2)];
    });

    /// <summary>
    /// Vibration in dB each minute: ~45 at rest, ~60 while working, and 76–82 while piling (first quarter of every
    /// second working hour), over the TCVN 6962:2001 day limit of 75 dB.
    /// </summary>
    public static SensorSeries Vibration(int seed = 3) => Day(seed, TimeSpan.FromMinutes(1), ["vibration"], (hour, random) =>
    {
        var working = Working(hour) > 0.5;
        var piling = working && (int)hour % 2 == 0 && hour % 1 < 0.25;
        var level = piling ? 79 : working ? 60 : 45;
        return [Math.Round(level + Spread(random, 3), 2)];
    });

    /// <summary>
    /// Tilt of an adjoining building in degrees every 5 minutes: 0.05° of settling, plus one excursion from 13:00
    /// to 16:00 peaking at 0.6° at 14:30 (dewatering next door), over <see cref="DemoSites.TiltStopDeg"/>.
    /// </summary>
    public static SensorSeries Tilt(int seed = 4) => Day(seed, TimeSpan.FromMinutes(5), ["tilt"], (hour, random) =>
    {
        var excursion = Math.Max(0, 1 - Math.Abs(hour - 14.5) / 1.5);
        return [Math.Round(0.05 + 0.55 * excursion + Spread(random, 0.01), 3)];
    });

    private static SensorSeries Day(int seed, TimeSpan step, IReadOnlyList<string> names, Func<double, Random, double[]> value)
    {
        // Deterministic demo data, not security: System.Random with a seed repeats across runs.
        var random = new Random(seed);
        var rows = new List<SeriesRow>();
        for (var t = TimeSpan.Zero; t < TimeSpan.FromDays(1); t += step)
        {
            rows.Add(new SeriesRow(Midnight + t, value(t.TotalHours, random)));
        }
        return new SensorSeries(Source, names, rows);
    }

    /// <summary>1 in working hours (07–17), 0 at night, ramps of an hour between.</summary>
    private static double Working(double hour) => Math.Clamp(Math.Min(hour - 6, 18 - hour), 0, 1);

    /// <summary>A two-hour wide bump centred on <paramref name="at"/>.</summary>
    private static double Peak(double hour, double at) => Math.Max(0, 1 - Math.Abs(hour - at) / 2);

    private static double Spread(Random random, double width) => (random.NextDouble() + random.NextDouble() - 1) * width;
}
