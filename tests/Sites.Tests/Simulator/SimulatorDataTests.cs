using HcmCity.Testing;
using System.Buffers;
using HcmCity.Sites.Simulator;
using HcmCity.Sites.Telemetry;
using Microsoft.Extensions.Logging;

namespace HcmCity.Sites.Tests.Simulator;

/// <summary>The simulator's data: the real CSV formats, replay, the synthetic fallback and the packs it publishes.</summary>
public sealed class SimulatorDataTests
{
    private static readonly string Shared = Path.Combine(RepositoryRoot(), "..", "shared", "data", "sensors");

    [Fact]
    public void Noise_rows_are_read_in_time_order_and_unreadable_rows_are_skipped()
    {
        const string csv = """
            datetime,LEQ dB -A
            2025-03-21 00:01:30,48.36329556161962
            2025-03-21 00:00:30,47.36041774214498

            2025-03-21 00:02:30,
            2025-03-21 00:03:30,loud
            yesterday,50.1
            2025-03-21 00:04:30,-3
            2025-03-21 00:05:30,250
            2025-03-21 00:06:30,51.5,extra
            """;

        var series = SensorCsv.ReadNoise(new StringReader(csv), "noise.csv", out var skipped);

        Assert.NotNull(series);
        Assert.Equal(["laeq"], series.Names);
        Assert.Equal(5, skipped);
        Assert.Collection(series.Rows,
            r => Assert.Equal((new DateTimeOffset(2025, 3, 21, 0, 0, 30, TimeSpan.Zero), 47.36041774214498), (r.Time, r.Values[0])),
            r => Assert.Equal((new DateTimeOffset(2025, 3, 21, 0, 1, 30, TimeSpan.Zero), 48.36329556161962), (r.Time, r.Values[0])),
            r => Assert.Equal((new DateTimeOffset(2025, 3, 21, 0, 6, 30, TimeSpan.Zero), 51.5), (r.Time, r.Values[0])));
    }

    [Fact]
    public void Dust_rows_with_saturated_missing_or_unreadable_values_are_skipped()
    {
        const string csv = """
            time;pm10_ugm3;pm25_ugm3;temperature_c;humidity_pct
            2018/10/08 09:21:52;31.52;27.22;;
            2018/10/08 10:04:02;;;;
            2018/10/08 10:47:24;1999.90;85.40;28.00;88.10
            2018/10/17 05:12:56;1999.90;999.90;46.50;46.30
            2018/10/17 05:15:00;120.5;999.90;;
            2018/10/17 05:17:30;12,5;8,1;;
            2018/10/31 23:57:42;88.87;63.05;26.30;99.90
            """;

        var series = SensorCsv.ReadDust(new StringReader(csv), "dust.csv", out var skipped);

        Assert.NotNull(series);
        Assert.Equal(["pm10", "pm25"], series.Names);
        Assert.Equal(5, skipped);
        Assert.Collection(series.Rows,
            r => Assert.Equal((new DateTimeOffset(2018, 10, 8, 9, 21, 52, TimeSpan.Zero), 31.52, 27.22), (r.Time, r.Values[0], r.Values[1])),
            r => Assert.Equal((new DateTimeOffset(2018, 10, 31, 23, 57, 42, TimeSpan.Zero), 88.87, 63.05), (r.Time, r.Values[0], r.Values[1])));
    }

    [Fact]
    public void A_file_without_a_readable_row_gives_no_series()
    {
        Assert.Null(SensorCsv.ReadNoise(new StringReader("datetime,LEQ dB -A\n"), "empty.csv", out var none));
        Assert.Equal(0, none);
        Assert.Null(SensorCsv.ReadDust(new StringReader("time;pm10_ugm3;pm25_ugm3\n2018/10/08 09:21:52;999.9;999.9\n"), "saturated.csv", out var saturated));
        Assert.Equal(1, saturated);
    }

    [Fact]
    public void The_real_shared_sensor_files_are_read_whole_without_saturation_values()
    {
        using var noiseFile = File.OpenText(Path.Combine(Shared, SensorCsv.NoiseFile));
        var noise = SensorCsv.ReadNoise(noiseFile, SensorCsv.NoiseFile, out var noiseSkipped);
        using var dustFile = File.OpenText(Path.Combine(Shared, SensorCsv.DustFile));
        var dust = SensorCsv.ReadDust(dustFile, SensorCsv.DustFile, out var dustSkipped);

        Assert.NotNull(noise);
        Assert.Equal((16_470, 0), (noise.Rows.Count, noiseSkipped));
        Assert.NotNull(dust);
        // 13,260 rows: two without values and two with a saturated PM10 (1999.9), one of them PM2.5 too (999.9).
        Assert.Equal((13_256, 4), (dust.Rows.Count, dustSkipped));
        Assert.All(dust.Rows, r => Assert.True(r.Values[0] < 999 && r.Values[1] < 999));
    }

    [Fact]
    public void Replay_starts_at_the_device_row_holds_each_row_until_the_next_and_loops()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var series = new SensorSeries("test", ["laeq"],
            [new SeriesRow(start, [40]), new SeriesRow(start.AddMinutes(1), [50]), new SeriesRow(start.AddMinutes(2), [60])]);

        Assert.Equal(TimeSpan.FromMinutes(3), series.Period);
        Assert.Equal(40, series.At(0, TimeSpan.Zero).Values[0]);
        Assert.Equal(40, series.At(0, TimeSpan.FromSeconds(59)).Values[0]);
        Assert.Equal(50, series.At(0, TimeSpan.FromSeconds(60)).Values[0]);
        Assert.Equal(60, series.At(1, TimeSpan.FromSeconds(90)).Values[0]);
        Assert.Equal(40, series.At(2, TimeSpan.FromSeconds(60)).Values[0]);
        Assert.Equal(50, series.At(0, TimeSpan.FromMinutes(3 * 1000 + 1)).Values[0]);
    }

    [Fact]
    public void Missing_files_are_replaced_by_synthetic_series_with_one_warning()
    {
        var logger = new ListLogger();
        var folder = Path.Combine(Path.GetTempPath(), $"hcm-sim-{Guid.NewGuid():N}");

        var data = SimulatorData.Load(new SimulatorOptions { NoiseCsv = "absent/noise.csv", DustCsv = "absent/dust.csv" }, folder, logger);

        Assert.Equal(SyntheticSeries.Source, data.Noise.Source);
        Assert.Equal(SyntheticSeries.Source, data.Dust.Source);
        Assert.Equal(["pm10", "pm25"], data.Dust.Names);
        var warning = Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(Path.Combine(folder, "absent", "noise.csv"), warning.Message);
        Assert.Contains(Path.Combine(folder, "absent", "dust.csv"), warning.Message);
    }

    [Fact]
    public void Unset_paths_find_the_shared_sensor_folder_above_the_content_root()
    {
        var root = Directory.CreateTempSubdirectory("hcm-sim-");
        try
        {
            var sensors = Directory.CreateDirectory(Path.Combine(root.FullName, "shared", "data", "sensors"));
            var contentRoot = Directory.CreateDirectory(Path.Combine(root.FullName, "main", "src", "Silo")).FullName;
            File.WriteAllText(Path.Combine(sensors.FullName, SensorCsv.NoiseFile), "datetime,LEQ dB -A\n2025-03-21 00:00:30,47.5\n");

            Assert.Equal(Path.Combine(sensors.FullName, SensorCsv.NoiseFile), SensorCsv.Locate(null, SensorCsv.NoiseFile, contentRoot));
            Assert.Equal(Path.Combine(contentRoot, "data", "x.csv"), SensorCsv.Locate("data/x.csv", SensorCsv.NoiseFile, contentRoot));

            var logger = new ListLogger();
            var data = SimulatorData.Load(new SimulatorOptions(), contentRoot, logger);
            Assert.Equal(SensorCsv.NoiseFile, data.Noise.Source);
            Assert.Equal(47.5, Assert.Single(data.Noise.Rows).Values[0]);
            // Only the dust file is missing, and the one warning names it.
            Assert.Contains(SensorCsv.DustFile, Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning).Message);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_simulated_kind_publishes_packs_the_gateway_accepts()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_250);
        var data = SimulatorData.Load(new SimulatorOptions { NoiseCsv = "absent", DustCsv = "absent" }, Path.GetTempPath(), new ListLogger());
        var devices = new[]
        {
            new SimulatedDevice("d-noise", "s", "site", "26743", "noise", data.Noise, 0, SiteActivity.Loud),
            new SimulatedDevice("d-pm", "s", "site", "26743", "pm", data.Dust, 100, SiteActivity.Loud),
            new SimulatedDevice("d-vib", "s", "site", "26743", "vibration", data.Vibration, 0, SiteActivity.Loud),
            new SimulatedDevice("d-tilt", "s", "site", "26743", "tilt", data.Tilt, 0, SiteActivity.Loud),
        };
        foreach (var device in devices)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var readings = device.ReadingsAt(TimeSpan.FromHours(hour + 0.1));
                var pack = SimulatedDevice.Pack(device.DeviceId, now, readings);
                var result = SenmlParser.Parse(new ReadOnlySequence<byte>(pack), device.DeviceId, now);
                Assert.Null(result.Rejection);
                Assert.Equal(readings.Select(r => (r.Name, Math.Round(r.Value, 3), now)), result.Readings.Select(r => (r.Name, r.Value, r.Time)));
            }
        }
    }

    [Fact]
    public void The_loud_profile_takes_the_real_noise_over_the_day_limit_and_the_quiet_one_stays_under_it()
    {
        using var file = File.OpenText(Path.Combine(Shared, SensorCsv.NoiseFile));
        var noise = SensorCsv.ReadNoise(file, SensorCsv.NoiseFile, out _)!;
        // L_Aeq of every hour of the recording, as the Sensor grain averages sound: by energy.
        var hourly = noise.Rows.GroupBy(r => r.Time.Hour)
            .Select(h => 10 * Math.Log10(h.Average(r => Math.Pow(10, r.Values[0] / 10))))
            .ToList();

        Assert.All(hourly, l => Assert.True(l + SiteActivity.Loud.NoiseGainDb > 70, $"{l} + loud gain"));
        Assert.All(hourly, l => Assert.True(l + SiteActivity.Quiet.NoiseGainDb < 70 - 3, $"{l} + quiet gain"));
    }

    [Fact]
    public void Synthetic_vibration_and_tilt_cross_their_limits_now_and_then()
    {
        var vibration = SyntheticSeries.Vibration().Rows.Select(r => r.Values[0]).ToList();
        var tilt = SyntheticSeries.Tilt().Rows.Select(r => r.Values[0]).ToList();

        // TCVN 6962:2001 day limit 75 dB: piling bursts go over it, most of the day stays under.
        Assert.InRange(vibration.Count(v => v > 75) / (double)vibration.Count, 0.01, 0.2);
        Assert.InRange(tilt.Count(t => t > DemoSites.TiltStopDeg) / (double)tilt.Count, 0.01, 0.2);
        Assert.True(tilt.Min() < DemoSites.TiltWarningDeg);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "HcmCity.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("HcmCity.sln not found above the test output.");
    }

    /// <summary>Keeps what was logged, to check what a newcomer would read.</summary>
    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
