using System.Globalization;
using System.Text.Json;
using HcmCity.Web.Problems;
using HcmCity.Gis.Crs;
using HcmCity.Sites.Records;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using HcmCity.Gis.GeoJson;

namespace HcmCity.Sites;

/// <summary>Checks site, sensor and readings input; a bad value is reported by its own field name (400 problem+json).</summary>
public static class SiteInput
{
    public const int MaxPermitNumberLength = 64;

    /// <summary>At most this many chart buckets per request.</summary>
    public const int MaxBuckets = 10_000;

    private static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory(GeometryFactories.For(Srid.Wgs84)) },
    };

    public static string PermitNumber(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxPermitNumberLength || text.Any(char.IsControl))
        {
            throw BadInputException.For("permitNumber", $"Bắt buộc, tối đa {MaxPermitNumberLength} ký tự / required, at most {MaxPermitNumberLength} characters.");
        }
        return text.Trim();
    }

    public static string Zone(string? text) =>
        text is not null && SiteZones.All.Contains(text)
            ? text
            : throw BadInputException.For("zone", $"Vùng theo QCVN 26:2010/BTNMT: {string.Join(" | ", SiteZones.All)} / zone must be one of them.");

    public static string Kind(string? text) =>
        text is not null && SensorKinds.All.Contains(text)
            ? text
            : throw BadInputException.For("kind", $"Loại cảm biến / sensor kind must be one of: {string.Join(" | ", SensorKinds.All)}.");

    /// <summary>
    /// A GeoJSON Polygon or MultiPolygon in WGS 84, valid, within longitude/latitude range and within
    /// <see cref="GeoJsonInput.MaxVertices"/> and <see cref="GeoJsonInput.MaxParts"/>.
    /// </summary>
    public static Geometry Footprint(JsonElement element)
    {
        Geometry? geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(GeoJson);
        }
        catch (Exception e) when (GeoJsonInput.IsMalformed(e))
        {
            throw BadInputException.For("footprint", $"GeoJSON không hợp lệ / invalid GeoJSON geometry: {e.Message}");
        }
        if (geometry is not (Polygon or MultiPolygon) || geometry.IsEmpty)
        {
            throw BadInputException.For("footprint", "Phải là Polygon hoặc MultiPolygon / must be a GeoJSON Polygon or MultiPolygon.");
        }
        if (GeoJsonInput.TooComplex(geometry) is { } tooComplex)
        {
            throw BadInputException.For("footprint", tooComplex);
        }
        var envelope = geometry.EnvelopeInternal;
        if (envelope.MinX < -180 || envelope.MaxX > 180 || envelope.MinY < -90 || envelope.MaxY > 90)
        {
            throw BadInputException.For("footprint", "Toạ độ WGS 84 (kinh độ, vĩ độ) / coordinates must be WGS 84 longitude, latitude.");
        }
        if (!geometry.IsValid)
        {
            throw BadInputException.For("footprint", "Hình không hợp lệ (tự cắt?) / the polygon is not valid (self-intersecting?).");
        }
        geometry.SRID = Srid.Wgs84;
        return geometry;
    }

    /// <summary>The permit's conditions, with national defaults for what it leaves out.</summary>
    public static SiteConditions Conditions(ConditionsInput? input, string zone, NationalLimitsOptions national)
    {
        // The national limits for the zone (QCVN 26 special zones are quieter), each overridden by the permit.
        var defaults = national.ConditionsFor(zone);
        var dayStart = Time(input?.DayStart, "conditions.dayStart") ?? defaults.DayStart;
        var nightStart = Time(input?.NightStart, "conditions.nightStart") ?? defaults.NightStart;
        if (dayStart >= nightStart)
        {
            throw BadInputException.For("conditions.nightStart", "Phải sau giờ bắt đầu ban ngày / must be after dayStart.");
        }
        var tiltWarning = Limit(input?.TiltWarningDeg, "conditions.tiltWarningDeg", 0, 90);
        var tiltStop = Limit(input?.TiltStopDeg, "conditions.tiltStopDeg", 0, 90);
        if (tiltWarning is { } w && tiltStop is { } s && w >= s)
        {
            throw BadInputException.For("conditions.tiltStopDeg", "Phải lớn hơn ngưỡng cảnh báo / must exceed tiltWarningDeg.");
        }
        return new SiteConditions(
            dayStart,
            nightStart,
            Limit(input?.NoiseDayDb, "conditions.noiseDayDb", 0, 194) ?? defaults.NoiseDayDb,
            Limit(input?.NoiseNightDb, "conditions.noiseNightDb", 0, 194) ?? defaults.NoiseNightDb,
            Limit(input?.VibrationDayDb, "conditions.vibrationDayDb", 0, 200) ?? defaults.VibrationDayDb,
            Limit(input?.VibrationNightDb, "conditions.vibrationNightDb", 0, 200),
            Limit(input?.Pm10DayUg, "conditions.pm10DayUg", 0, 999) ?? defaults.Pm10DayUg,
            Limit(input?.Pm25DayUg, "conditions.pm25DayUg", 0, 999) ?? defaults.Pm25DayUg,
            tiltWarning,
            tiltStop);
    }

    public static DateTimeOffset? Instant(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw BadInputException.For(field, "Thời điểm ISO 8601 / expected an ISO 8601 date-time, e.g. 2026-07-01T08:00:00+07:00.");
        }
        // No reading is older than the Unix epoch; and year 1 would overflow "to minus the default range" (it did: 500).
        return value >= DateTimeOffset.UnixEpoch
            ? value
            : throw BadInputException.For(field, "Thời điểm từ năm 1970 / must be at or after 1970-01-01T00:00:00Z.");
    }

    /// <summary>A bucket size such as "30s", "5m", "1h" or "1d" (InfluxQL durations), at least one second.</summary>
    public static TimeSpan Every(string? text, TimeSpan fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        var unit = text[^1];
        if (!int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 1_000_000)
        {
            throw BadInputException.For("every", "Ví dụ / for example 30s, 5m, 1h, 1d.");
        }
        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw BadInputException.For("every", "Đơn vị s, m, h, d / unit must be s, m, h or d, e.g. 5m."),
        };
    }

    private static TimeOnly? Time(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }
        return TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw BadInputException.For(field, "Giờ dạng HH:mm / expected a time of day HH:mm.");
    }

    private static double? Limit(double? value, string field, double min, double max) =>
        value is null || (double.IsFinite(value.Value) && value >= min && value <= max)
            ? value
            : throw BadInputException.For(field, $"Phải từ {min} đến {max} / must be from {min} to {max}.");
}
