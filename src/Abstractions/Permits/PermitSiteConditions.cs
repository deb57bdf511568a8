using System.Text.Json.Serialization;

namespace HcmCity.Abstractions.Permits;

/// <summary>
/// The machine-readable site conditions of an e-permit (điều kiện thi công kèm theo giấy phép): the numbers a
/// construction site under this permit is judged by. Set by the officer at approval, never looser than the national
/// limits of the rule set named in <see cref="RuleSet"/>; part of the signed claims, so their JSON names are fixed.
/// </summary>
/// <param name="Zone">QCVN 26:2010/BTNMT zone: "normal" or "special" (hospitals, schools, libraries, worship).</param>
/// <param name="DayStart">Start of the working day, Ho Chi Minh City time.</param>
/// <param name="NightStart">Start of the night period, Ho Chi Minh City time.</param>
/// <param name="NightWorkAllowed">Whether work may go on between <see cref="NightStart"/> and <see cref="DayStart"/>.</param>
/// <param name="NoiseDayDb">L_Aeq limit in dB(A) over the day period.</param>
/// <param name="NoiseNightDb">L_Aeq limit in dB(A) over the night period.</param>
/// <param name="VibrationDayDb">Construction vibration limit in dB over the day period.</param>
/// <param name="VibrationNightDb">Night vibration limit; TCVN 6962:2001 asks for the site's background level, so null until surveyed.</param>
/// <param name="Pm10DayUg">PM10 24 h mean limit in µg/m³.</param>
/// <param name="Pm25DayUg">PM2.5 24 h mean limit in µg/m³.</param>
/// <param name="TiltWarningDeg">Tilt of adjoining buildings that raises a warning (no national number: per permit).</param>
/// <param name="TiltStopDeg">Tilt at which work must stop (no national number: per permit).</param>
/// <param name="StartBy">Construction must commence by the end of this day (Vietnam date), or the permit expires.</param>
/// <param name="ValidUntil">Last day of the construction period (Vietnam date).</param>
/// <param name="RuleSet">The national limits the conditions were checked against, "id/version".</param>
[GenerateSerializer, Immutable]
public sealed record PermitSiteConditions(
    [property: Id(0), JsonPropertyName("zone")] string Zone,
    [property: Id(1), JsonPropertyName("dayStart")] TimeOnly DayStart,
    [property: Id(2), JsonPropertyName("nightStart")] TimeOnly NightStart,
    [property: Id(3), JsonPropertyName("nightWorkAllowed")] bool NightWorkAllowed,
    [property: Id(4), JsonPropertyName("noiseDayDb")] double NoiseDayDb,
    [property: Id(5), JsonPropertyName("noiseNightDb")] double NoiseNightDb,
    [property: Id(6), JsonPropertyName("vibrationDayDb")] double VibrationDayDb,
    [property: Id(7), JsonPropertyName("vibrationNightDb")] double? VibrationNightDb,
    [property: Id(8), JsonPropertyName("pm10DayUg")] double Pm10DayUg,
    [property: Id(9), JsonPropertyName("pm25DayUg")] double Pm25DayUg,
    [property: Id(10), JsonPropertyName("tiltWarningDeg")] double? TiltWarningDeg,
    [property: Id(11), JsonPropertyName("tiltStopDeg")] double? TiltStopDeg,
    [property: Id(12), JsonPropertyName("startBy")] DateOnly StartBy,
    [property: Id(13), JsonPropertyName("validUntil")] DateOnly ValidUntil,
    [property: Id(14), JsonPropertyName("ruleSet")] string RuleSet);

/// <summary>QCVN 26:2010/BTNMT zones.</summary>
public static class PermitZones
{
    public const string Normal = "normal";

    public const string Special = "special";

    public static readonly string[] All = [Normal, Special];
}

/// <summary>
/// National limits that site conditions default to and may only tighten (regulations.md §5), as versioned rule
/// data: a new regulation is a new file, not a release.
/// </summary>
/// <param name="NightWorkByDefault">Whether a permit allows night work when the officer does not say (no rule found: a platform default).</param>
/// <param name="ConstructionMonths">Default construction period after the start-by date (no rule found: a platform default).</param>
/// <param name="TermLimitedMaxMonths">A term-limited permit's longest validity from issue.</param>
public sealed record NationalSiteLimits(
    string Id,
    string Version,
    TimeOnly DayStart,
    TimeOnly NightStart,
    bool NightWorkByDefault,
    ZoneNoiseLimits NormalNoise,
    ZoneNoiseLimits SpecialNoise,
    double VibrationDayDb,
    double Pm10DayUg,
    double Pm25DayUg,
    int ConstructionMonths,
    int TermLimitedMaxMonths)
{
    public string Name => $"{Id}/{Version}";

    public ZoneNoiseLimits Noise(string zone) => zone == PermitZones.Special ? SpecialNoise : NormalNoise;
}

/// <summary>L_Aeq limits of one QCVN 26:2010/BTNMT zone, dB(A).</summary>
public sealed record ZoneNoiseLimits(double DayDb, double NightDb);
