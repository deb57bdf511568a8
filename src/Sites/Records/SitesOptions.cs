namespace HcmCity.Sites.Records;

/// <summary>Site monitoring settings, section "Sites".</summary>
public sealed class SitesOptions
{
    public const string Section = "Sites";

    public NationalLimitsOptions NationalLimits { get; set; } = new();

    public MonitoringOptions Monitoring { get; set; } = new();

    /// <summary>Embedded mode (no InfluxDB): how many recent readings are kept per device for charts.</summary>
    public int RecentReadingsPerDevice { get; set; } = 20_000;

    /// <summary>Embedded mode: how many devices the recent-readings store follows at most.</summary>
    public int RecentReadingsDevices { get; set; } = 5_000;
}

/// <summary>
/// National limits a site's permit conditions default to (regulations.md §5). Data, not code: a new regulation
/// changes configuration, not a release.
/// </summary>
public sealed class NationalLimitsOptions
{
    /// <summary>QCVN 26:2010/BTNMT: the day period is 06:00–21:00, the night 21:00–06:00.</summary>
    public TimeOnly DayStart { get; set; } = new(6, 0);

    public TimeOnly NightStart { get; set; } = new(21, 0);

    /// <summary>QCVN 26:2010/BTNMT L_Aeq, special zone: 55 dB(A) day, 45 night.</summary>
    public double NoiseSpecialDayDb { get; set; } = 55;

    public double NoiseSpecialNightDb { get; set; } = 45;

    /// <summary>QCVN 26:2010/BTNMT L_Aeq, normal zone: 70 dB(A) day, 55 night.</summary>
    public double NoiseNormalDayDb { get; set; } = 70;

    public double NoiseNormalNightDb { get; set; } = 55;

    /// <summary>TCVN 6962:2001 construction vibration, daytime: 75 dB.</summary>
    public double VibrationDayDb { get; set; } = 75;

    /// <summary>QCVN 05:2023/BTNMT PM10 24 h mean: 100 µg/m³ [secondary source].</summary>
    public double Pm10DayUg { get; set; } = 100;

    /// <summary>QCVN 05:2023/BTNMT PM2.5 24 h mean: 50 µg/m³, 45 from 2026 [secondary source].</summary>
    public double Pm25DayUg { get; set; } = 45;

    /// <summary>The conditions of a permit that sets none of its own, in a <see cref="SiteZones"/> zone.</summary>
    public SiteConditions ConditionsFor(string zone)
    {
        var special = zone == SiteZones.Special;
        return new SiteConditions(
            DayStart,
            NightStart,
            special ? NoiseSpecialDayDb : NoiseNormalDayDb,
            special ? NoiseSpecialNightDb : NoiseNormalNightDb,
            VibrationDayDb,
            null,
            Pm10DayUg,
            Pm25DayUg,
            null,
            null);
    }
}

/// <summary>How sensors are judged: hysteresis, warning bands and silence before a sensor is offline.</summary>
public sealed class MonitoringOptions
{
    /// <summary>A sensor that sends nothing for this long is offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Consecutive evaluations over a threshold before a level is raised (one spike is not a violation).</summary>
    public int RaiseAfter { get; set; } = 3;

    /// <summary>Consecutive evaluations below threshold minus margin before a level is cleared.</summary>
    public int ClearAfter { get; set; } = 3;

    /// <summary>Noise and vibration: a warning this many dB below the limit.</summary>
    public double WarningBandDb { get; set; } = 3;

    /// <summary>Noise and vibration: a level clears only this many dB below its threshold.</summary>
    public double MarginDb { get; set; } = 2;

    /// <summary>PM: a level clears only this many µg/m³ below its threshold.</summary>
    public double MarginUg { get; set; } = 5;

    /// <summary>Tilt: a level clears only this many degrees below its threshold.</summary>
    public double MarginDeg { get; set; } = 0.05;

    /// <summary>
    /// A 24 h PM mean counts as a QCVN 05:2023 violation only once readings span this much of the day; before that
    /// an hourly mean over the 24 h limit is a warning.
    /// </summary>
    public TimeSpan PmDayCoverage { get; set; } = TimeSpan.FromHours(18);
}
