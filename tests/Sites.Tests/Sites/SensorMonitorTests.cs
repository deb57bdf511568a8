using HcmCity.Testing;
using HcmCity.Abstractions.Sensors;
using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Monitoring;
using HcmCity.Sites.Records;

namespace HcmCity.Sites.Tests.Sites;

/// <summary>The pure judgement of readings: periods, windows, limits and hysteresis (no Orleans).</summary>
public sealed class SensorMonitorTests
{
    /// <summary>Normal-zone national limits: QCVN 26 70/55 dB(A), TCVN 6962 75 dB, QCVN 05 PM10 100, PM2.5 45.</summary>
    private static readonly SiteConditions Normal = new(
        new TimeOnly(6, 0), new TimeOnly(21, 0), 70, 55, 75, null, 100, 45, 0.5, 1.0);

    private static readonly MonitoringOptions Options = Monitoring();

    private static MonitoringOptions Monitoring(double warningBandDb = 3) =>
        new() { RaiseAfter = 3, ClearAfter = 3, MarginDb = 2, MarginUg = 5, WarningBandDb = warningBandDb };

    /// <summary>A local (UTC+7) time on 1 July 2026.</summary>
    private static DateTimeOffset At(int hour, int minute, int second = 0) =>
        new(2026, 7, 1, hour, minute, second, TimeSpan.FromHours(7));

    private static Reading R(string name, double value, DateTimeOffset time) => new("dev-1", name, value, time);

    private static List<MetricChange> Feed(SensorMonitor monitor, params Reading[] readings) =>
        readings.Select(r => monitor.Add(r, out _)).OfType<MetricChange>().ToList();

    [Fact]
    public void Period_boundaries_are_06_00_and_21_00_Ho_Chi_Minh_City_time()
    {
        var day = new TimeOnly(6, 0);
        var night = new TimeOnly(21, 0);

        Assert.Equal((true, At(6, 0)), SensorMonitor.PeriodOf(At(20, 59, 59), day, night));
        Assert.Equal((false, At(21, 0)), SensorMonitor.PeriodOf(At(21, 0), day, night));
        Assert.Equal((false, At(21, 0).AddDays(-1)), SensorMonitor.PeriodOf(At(5, 59), day, night));
        Assert.Equal((true, At(6, 0)), SensorMonitor.PeriodOf(At(6, 0).ToUniversalTime(), day, night));
    }

    [Fact]
    public void Sixty_five_dBA_is_ok_before_21_00_and_a_violation_from_21_00_in_a_normal_zone()
    {
        var monitor = new SensorMonitor(SensorKinds.Noise, Normal, Options);

        var evening = Feed(monitor, R("laeq", 65, At(20, 59, 0)), R("laeq", 65, At(20, 59, 20)), R("laeq", 65, At(20, 59, 40)));
        var night = Feed(monitor, R("laeq", 65, At(21, 0, 0)), R("laeq", 65, At(21, 0, 20)), R("laeq", 65, At(21, 0, 40)));

        Assert.Empty(evening);
        var change = Assert.Single(night);
        Assert.Equal(MetricLevel.Violation, change.Level);
        Assert.Equal(55, change.Limit);
        Assert.Equal(65, change.Value, 6);
        Assert.Equal(At(21, 0, 40), change.Time);
    }

    [Fact]
    public void The_night_period_starts_a_new_LAeq_so_a_loud_day_does_not_carry_over()
    {
        var monitor = new SensorMonitor(SensorKinds.Noise, Normal, Options);
        Feed(monitor, R("laeq", 90, At(20, 0)), R("laeq", 90, At(20, 10)), R("laeq", 90, At(20, 20)));
        Assert.Equal(MetricLevel.Violation, monitor.Levels["laeq"]);

        var night = Feed(monitor, R("laeq", 40, At(21, 0)), R("laeq", 40, At(21, 1)), R("laeq", 40, At(21, 2)));

        Assert.Equal(MetricLevel.Ok, Assert.Single(night).Level);
    }

    [Fact]
    public void Readings_the_broker_sends_again_count_once()
    {
        var monitor = new SensorMonitor(SensorKinds.Noise, Normal, Options);
        Reading[] loud = [R("laeq", 90, At(21, 0, 0)), R("laeq", 90, At(21, 0, 20))];
        Feed(monitor, loud);

        // The same two readings again (a gateway restarted before acknowledging them) would be the third and fourth
        // loud reading and raise a violation; they must be ignored.
        var again = loud.Select(r => (Change: monitor.Add(r, out var accepted), Accepted: accepted)).ToList();

        Assert.All(again, a => Assert.False(a.Accepted));
        Assert.All(again, a => Assert.Null(a.Change));
        Assert.Equal(MetricLevel.Ok, monitor.Levels["laeq"]);
        var change = Assert.Single(Feed(monitor, R("laeq", 90, At(21, 0, 40))));
        Assert.Equal(MetricLevel.Violation, change.Level);
    }

    [Fact]
    public void LAeq_is_the_energy_average_not_the_arithmetic_mean()
    {
        var mean = new EnergyMean();
        mean.Add(60);
        mean.Add(80);

        // 10·log10((10^6 + 10^8) / 2) = 77.03 dB, where the arithmetic mean would say 70.
        Assert.Equal(77.03, mean.Level, 2);
    }

    [Fact]
    public void A_single_spike_does_not_raise_and_three_in_a_row_do()
    {
        var monitor = new SensorMonitor(SensorKinds.Vibration, Normal, Options);

        var spike = Feed(monitor, R("vibration", 90, At(10, 0)), R("vibration", 50, At(10, 1)), R("vibration", 90, At(10, 2)), R("vibration", 90, At(10, 3)));
        var third = Feed(monitor, R("vibration", 90, At(10, 4)));

        Assert.Empty(spike);
        Assert.Equal(MetricLevel.Violation, Assert.Single(third).Level);
        Assert.Equal(75, third[0].Limit);
    }

    [Fact]
    public void A_violation_clears_only_below_the_limit_minus_the_margin()
    {
        var monitor = new SensorMonitor(SensorKinds.Vibration, Normal, Monitoring(warningBandDb: 0));
        Feed(monitor, R("vibration", 80, At(10, 0)), R("vibration", 80, At(10, 1)), R("vibration", 80, At(10, 2)));

        // 74 dB is under the 75 dB limit but within the 2 dB margin: still a violation.
        var hovering = Feed(monitor, R("vibration", 74, At(10, 3)), R("vibration", 74, At(10, 4)), R("vibration", 74, At(10, 5)));
        var below = Feed(monitor, R("vibration", 72, At(10, 6)), R("vibration", 72, At(10, 7)), R("vibration", 72, At(10, 8)));

        Assert.Empty(hovering);
        Assert.Equal(MetricLevel.Ok, Assert.Single(below).Level);
    }

    [Fact]
    public void Night_vibration_is_unchecked_when_the_permit_sets_no_background_level()
    {
        var monitor = new SensorMonitor(SensorKinds.Vibration, Normal, Options);

        var night = Feed(monitor, R("vibration", 100, At(22, 0)), R("vibration", 100, At(22, 1)), R("vibration", 100, At(22, 2)));
        var strict = new SensorMonitor(SensorKinds.Vibration, Normal with { VibrationNightDb = 60 }, Options);
        var nightStrict = Feed(strict, R("vibration", 100, At(22, 0)), R("vibration", 100, At(22, 1)), R("vibration", 100, At(22, 2)));

        Assert.Empty(night);
        Assert.Equal(60, Assert.Single(nightStrict).Limit);
    }

    [Fact]
    public void An_hourly_PM10_mean_over_the_limit_warns_and_the_24_h_mean_is_a_violation_once_the_day_is_covered()
    {
        var monitor = new SensorMonitor(SensorKinds.Pm, Normal, Options);
        var start = At(0, 0);
        var changes = new List<MetricChange>();
        for (var minutes = 0; minutes <= 20 * 60; minutes += 10)
        {
            changes.AddRange(Feed(monitor, R("pm10", 150, start.AddMinutes(minutes))));
        }

        Assert.Equal([MetricLevel.Warning, MetricLevel.Violation], changes.Select(c => c.Level));
        Assert.Equal(start.AddMinutes(20), changes[0].Time);
        Assert.True(changes[1].Time >= start.AddHours(18), $"violation at {changes[1].Time}");
        Assert.Equal(100, changes[1].Limit);
        Assert.Equal(150, changes[1].Value, 6);
    }

    [Fact]
    public void PM25_uses_its_own_limit_and_window()
    {
        var monitor = new SensorMonitor(SensorKinds.Pm, Normal, Options);

        var changes = Feed(monitor, R("pm25", 60, At(9, 0)), R("pm10", 60, At(9, 0)), R("pm25", 60, At(9, 1)), R("pm25", 60, At(9, 2)));

        var warning = Assert.Single(changes);
        Assert.Equal("pm25", warning.Metric);
        Assert.Equal(MetricLevel.Warning, warning.Level);
        Assert.Equal(45, warning.Limit);
    }

    [Fact]
    public void Tilt_uses_the_permit_thresholds_in_either_direction()
    {
        var monitor = new SensorMonitor(SensorKinds.Tilt, Normal, Options);

        var warn = Feed(monitor, R("tilt", -0.7, At(9, 0)), R("tilt", 0.7, At(9, 1)), R("tilt", -0.7, At(9, 2)));
        var stop = Feed(monitor, R("tilt", -1.2, At(9, 3)), R("tilt", -1.2, At(9, 4)), R("tilt", -1.2, At(9, 5)));

        Assert.Equal((MetricLevel.Warning, 0.5), (Assert.Single(warn).Level, warn[0].Limit));
        Assert.Equal((MetricLevel.Violation, 1.0), (Assert.Single(stop).Level, stop[0].Limit));
    }

    [Fact]
    public void Readings_of_names_the_sensor_kind_does_not_report_are_ignored()
    {
        var monitor = new SensorMonitor(SensorKinds.Noise, Normal, Options);

        var change = monitor.Add(R("pm10", 900, At(9, 0)), out var accepted);

        Assert.Null(change);
        Assert.False(accepted);
        Assert.Equal(MetricLevel.Ok, monitor.Levels["laeq"]);
    }

    [Fact]
    public void Levels_restored_from_state_clear_when_readings_are_quiet()
    {
        var monitor = new SensorMonitor(SensorKinds.Noise, Normal, Options,
            new Dictionary<string, MetricLevel> { ["laeq"] = MetricLevel.Violation });

        var changes = Feed(monitor, R("laeq", 50, At(9, 0)), R("laeq", 50, At(9, 1)), R("laeq", 50, At(9, 2)));

        Assert.Equal(MetricLevel.Ok, Assert.Single(changes).Level);
    }
}
