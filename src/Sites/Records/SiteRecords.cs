using NetTopologySuite.Geometries;

namespace HcmCity.Sites.Records;

/// <summary>
/// A construction site (công trường) under monitoring: its permit, the parcel it stands on, its footprint in WGS 84
/// and the permit conditions its sensors are checked against.
/// </summary>
/// <param name="Ward">Administrative unit code of the parcel, used for area subscriptions and search.</param>
/// <param name="Zone">QCVN 26:2010/BTNMT zone: <see cref="SiteZones.Normal"/> or <see cref="SiteZones.Special"/>.</param>
/// <param name="Status">ok, warning, violation or offline (<see cref="SiteStatuses"/>), kept by the site's grain.</param>
public sealed record SiteRecord(
    string Id,
    string PermitNumber,
    long ParcelId,
    string Ward,
    string Zone,
    Geometry Footprint,
    SiteConditions Conditions,
    string Status,
    DateTimeOffset? StatusSince,
    DateTimeOffset CreatedAt)
{
    /// <summary>A point inside the footprint, where the site is drawn and matched against bbox subscriptions.</summary>
    public Point Location => Footprint.InteriorPoint;
}

/// <summary>
/// Permit conditions of a site (điều kiện giấy phép). Registration fills what the permit leaves out from
/// <see cref="NationalLimitsOptions"/>, so a stored site always carries the numbers it is judged by.
/// </summary>
/// <param name="DayStart">Start of the day period in Ho Chi Minh City time (QCVN 26:2010/BTNMT: 06:00).</param>
/// <param name="NightStart">Start of the night period (QCVN 26:2010/BTNMT: 21:00).</param>
/// <param name="NoiseDayDb">L_Aeq limit in dB(A) over the day period.</param>
/// <param name="NoiseNightDb">L_Aeq limit in dB(A) over the night period.</param>
/// <param name="VibrationDayDb">Construction vibration limit in dB in the day period (TCVN 6962:2001: 75).</param>
/// <param name="VibrationNightDb">
/// Night vibration limit. TCVN 6962:2001 asks for the site's background level, which only a survey of the site can
/// give; null leaves night vibration unchecked.
/// </param>
/// <param name="Pm10DayUg">PM10 24 h mean limit in µg/m³ (QCVN 05:2023/BTNMT: 100).</param>
/// <param name="Pm25DayUg">PM2.5 24 h mean limit in µg/m³ (QCVN 05:2023/BTNMT: 50, 45 from 2026).</param>
/// <param name="TiltWarningDeg">Tilt of adjoining buildings that raises a warning; no national number, per permit.</param>
/// <param name="TiltStopDeg">Tilt at which work must stop (a violation); no national number, per permit.</param>
public sealed record SiteConditions(
    TimeOnly DayStart,
    TimeOnly NightStart,
    double NoiseDayDb,
    double NoiseNightDb,
    double VibrationDayDb,
    double? VibrationNightDb,
    double Pm10DayUg,
    double Pm25DayUg,
    double? TiltWarningDeg,
    double? TiltStopDeg);

/// <summary>A provisioned sensor. The device secret is kept only as a salted hash (<see cref="SensorSecrets"/>).</summary>
/// <param name="RevokedAt">When the sensor was revoked (thu hồi): its credentials are refused from then on.</param>
public sealed record SensorRecord(
    string DeviceId, string SiteId, string Kind, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null);

/// <param name="Bbox">WGS 84 envelope the footprint must intersect, or null.</param>
public sealed record SiteQuery(string? Ward = null, Envelope? Bbox = null, int Limit = 100);

/// <summary>QCVN 26:2010/BTNMT noise zones.</summary>
public static class SiteZones
{
    /// <summary>Hospitals, schools, libraries, places of worship and their surroundings.</summary>
    public const string Special = "special";

    public const string Normal = "normal";

    public static readonly string[] All = [Normal, Special];
}

public static class SiteStatuses
{
    public const string Ok = "ok";
    public const string Warning = "warning";
    public const string Violation = "violation";
    public const string Offline = "offline";
}

public static class AlertStates
{
    public const string Raised = "raised";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
}

/// <summary>Sensor kinds and the SenML names each one reports.</summary>
public static class SensorKinds
{
    public const string Noise = "noise";
    public const string Pm = "pm";
    public const string Vibration = "vibration";
    public const string Tilt = "tilt";

    public static readonly string[] All = [Noise, Pm, Vibration, Tilt];

    public static IReadOnlyList<string> NamesOf(string kind) => kind switch
    {
        Noise => ["laeq"],
        Pm => ["pm10", "pm25"],
        Vibration => ["vibration"],
        Tilt => ["tilt"],
        _ => [],
    };
}
