using System.Globalization;
using System.Text.Json;
using HcmCity.Abstractions.Permits;

namespace HcmCity.Permits.Conditions;

/// <summary>
/// The officer's site conditions of an approval, checked against the national limits: what is left out takes the
/// national default for the zone, what is given may only be tighter (a later day start, an earlier night start, lower
/// limits, an earlier start-by date). Pure: no I/O, the limits and the approval date are passed in.
/// </summary>
public static class SiteConditionRules
{
    public const string ResourceName = "HcmCity.Permits.Conditions.vn-site-limits.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
    };

    /// <summary>The national limits embedded in this assembly.</summary>
    public static NationalSiteLimits Embedded()
    {
        using var stream = typeof(SiteConditionRules).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize<NationalSiteLimits>(stream, Json)
            ?? throw new InvalidDataException($"{ResourceName} is empty.");
    }

    /// <summary>The conditions to sign, or the first field that is malformed or looser than the national limit.</summary>
    /// <param name="issuedOn">The approval's date in Vietnam: the construction period counts from it.</param>
    /// <param name="startWithinMonths">Construction must start within this many months of issue (the latest start-by date).</param>
    public static (PermitSiteConditions? Conditions, PermitRejection? Rejection) Decide(
        SiteConditionsRequest? input, NationalSiteLimits national, string permitType, DateOnly issuedOn, int startWithinMonths)
    {
        try
        {
            return (Build(input ?? new SiteConditionsRequest(), national, permitType, issuedOn, startWithinMonths), null);
        }
        catch (LooserThanNationalException e)
        {
            return (null, new PermitRejection(PermitRejectionKind.Invalid, e.Message, e.Field));
        }
    }

    private static PermitSiteConditions Build(
        SiteConditionsRequest input, NationalSiteLimits national, string permitType, DateOnly issuedOn, int startWithinMonths)
    {
        var zone = input.Zone ?? PermitZones.Normal;
        if (!PermitZones.All.Contains(zone))
        {
            throw Fail("zone", $"Vùng theo QCVN 26:2010/BTNMT: {string.Join(" | ", PermitZones.All)} / zone must be one of them.");
        }
        var noise = national.Noise(zone);

        var dayStart = Time(input.DayStart, "dayStart") ?? national.DayStart;
        if (dayStart < national.DayStart)
        {
            throw Looser("dayStart", $"không sớm hơn {national.DayStart:HH:mm} / not before {national.DayStart:HH:mm}");
        }
        var nightStart = Time(input.NightStart, "nightStart") ?? national.NightStart;
        if (nightStart > national.NightStart)
        {
            throw Looser("nightStart", $"không muộn hơn {national.NightStart:HH:mm} / not after {national.NightStart:HH:mm}");
        }
        if (nightStart <= dayStart)
        {
            throw Fail("nightStart", "Phải sau giờ bắt đầu ban ngày / must be after dayStart.");
        }

        var vibrationDay = AtMost(input.VibrationDayDb, national.VibrationDayDb, "vibrationDayDb");
        // TCVN 6962:2001 sets the night limit at the site's background level, which only a survey gives; whatever
        // the officer sets, night is never allowed more than day.
        var vibrationNight = AtMost(input.VibrationNightDb, vibrationDay, "vibrationNightDb", optional: true);

        var tiltWarning = Range(input.TiltWarningDeg, "tiltWarningDeg", 90);
        var tiltStop = Range(input.TiltStopDeg, "tiltStopDeg", 90);
        if (tiltWarning is { } w && tiltStop is { } s && w >= s)
        {
            throw Fail("tiltStopDeg", "Phải lớn hơn ngưỡng cảnh báo / must exceed tiltWarningDeg.");
        }

        var latestStart = issuedOn.AddMonths(startWithinMonths);
        var startBy = Date(input.StartBy, "startBy") ?? latestStart;
        if (startBy < issuedOn)
        {
            throw Fail("startBy", $"Không trước ngày cấp {issuedOn:dd/MM/yyyy} / must not be before the issue date.");
        }
        if (startBy > latestStart)
        {
            throw Looser("startBy", $"không muộn hơn {latestStart:dd/MM/yyyy} ({startWithinMonths} tháng) / not after {latestStart:yyyy-MM-dd} ({startWithinMonths} months)");
        }
        var termEnd = permitType == "term-limited" ? issuedOn.AddMonths(national.TermLimitedMaxMonths) : (DateOnly?)null;
        var byDefault = startBy.AddMonths(national.ConstructionMonths);
        var validUntil = Date(input.ValidUntil, "validUntil") ?? (termEnd is { } end && end < byDefault ? end : byDefault);
        if (validUntil <= startBy)
        {
            throw Fail("validUntil", "Phải sau hạn khởi công / must be after startBy.");
        }
        if (termEnd is { } limit && validUntil > limit)
        {
            throw Looser("validUntil", $"giấy phép có thời hạn đến {limit:dd/MM/yyyy} / a term-limited permit ends by {limit:yyyy-MM-dd}");
        }

        return new PermitSiteConditions(
            zone,
            dayStart,
            nightStart,
            input.NightWorkAllowed ?? national.NightWorkByDefault,
            AtMost(input.NoiseDayDb, noise.DayDb, "noiseDayDb"),
            AtMost(input.NoiseNightDb, noise.NightDb, "noiseNightDb"),
            vibrationDay,
            vibrationNight,
            AtMost(input.Pm10DayUg, national.Pm10DayUg, "pm10DayUg"),
            AtMost(input.Pm25DayUg, national.Pm25DayUg, "pm25DayUg"),
            tiltWarning,
            tiltStop,
            startBy,
            validUntil,
            national.Name);
    }

    private static double AtMost(double? value, double limit, string field) => AtMost(value, limit, field, optional: false) ?? limit;

    private static double? AtMost(double? value, double limit, string field, bool optional)
    {
        if (value is null)
        {
            return optional ? null : limit;
        }
        if (!double.IsFinite(value.Value) || value <= 0)
        {
            throw Fail(field, "Phải là số dương / must be a positive number.");
        }
        return value <= limit
            ? value
            : throw Looser(field, string.Create(CultureInfo.InvariantCulture, $"tối đa {limit} / at most {limit}"));
    }

    private static double? Range(double? value, string field, double max) =>
        value is null || (double.IsFinite(value.Value) && value > 0 && value <= max)
            ? value
            : throw Fail(field, string.Create(CultureInfo.InvariantCulture, $"Trong (0, {max}] / must be in (0, {max}]."));

    private static TimeOnly? Time(string? text, string field) =>
        text is null ? null
        : TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time
        : throw Fail(field, "Giờ dạng HH:mm / expected a time of day HH:mm.");

    private static DateOnly? Date(string? text, string field) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw Fail(field, "Ngày dạng yyyy-MM-dd / expected a date yyyy-MM-dd.");

    private static LooserThanNationalException Looser(string field, string bound) =>
        Fail(field, $"Chỉ được chặt hơn quy chuẩn quốc gia: {bound} / an officer may only tighten the national limit.");

    private static LooserThanNationalException Fail(string field, string message) => new($"conditions.{field}", message);

    private sealed class LooserThanNationalException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}

/// <summary>The officer's site conditions at approval; every field left out takes the national default.</summary>
/// <param name="DayStart">"HH:mm", Ho Chi Minh City time.</param>
/// <param name="StartBy">"yyyy-MM-dd": construction must commence by this day.</param>
/// <param name="ValidUntil">"yyyy-MM-dd": last day of the construction period.</param>
public sealed record SiteConditionsRequest(
    string? Zone = null,
    string? DayStart = null,
    string? NightStart = null,
    bool? NightWorkAllowed = null,
    double? NoiseDayDb = null,
    double? NoiseNightDb = null,
    double? VibrationDayDb = null,
    double? VibrationNightDb = null,
    double? Pm10DayUg = null,
    double? Pm25DayUg = null,
    double? TiltWarningDeg = null,
    double? TiltStopDeg = null,
    string? StartBy = null,
    string? ValidUntil = null);
