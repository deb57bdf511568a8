using System.Globalization;
using HcmCity.Web.Problems;
using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;

using HcmCity.Gis.Parcels;

namespace HcmCity.Web.Input;

/// <summary>
/// Parses and checks query and route values of the land-records endpoints. Every value is read as text and parsed
/// here, so that a bad one is reported by its own name (400 problem+json) rather than by the framework's binder.
/// </summary>
public static class ParcelInput
{
    /// <summary>Key parts are short codes: ward codes, sheet and parcel numbers (e.g. "26734", "12", "345a").</summary>
    public const int MaxKeyPartLength = 64;

    /// <summary>A parcel id: a positive integer.</summary>
    public static long Id(string? text, string field = "id")
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            throw BadInputException.For(field, "Mã thửa phải là số nguyên dương / must be a positive integer.");
        }

        return id;
    }

    /// <summary>An integer in <paramref name="min"/>..<paramref name="max"/>, or <paramref name="fallback"/> when absent.</summary>
    public static int Int(string? text, string field, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw BadInputException.For(field, $"Phải là số nguyên từ {min} đến {max} / must be an integer from {min} to {max}.");
        }

        return value;
    }

    /// <summary>A paging offset: 0 or more, 0 when absent.</summary>
    public static long Offset(string? text, string field = "offset")
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset > int.MaxValue)
        {
            throw BadInputException.For(field, $"Phải là số nguyên từ 0 đến {int.MaxValue} / must be an integer from 0 to {int.MaxValue}.");
        }

        return offset;
    }

    /// <summary>A finite number, or null when absent.</summary>
    public static double? Number(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw BadInputException.For(field, "Phải là một số / must be a finite number.");
        }

        return value;
    }

    /// <summary>
    /// A part of a parcel key (unit, sheet, number), or null when absent. Letters (Vietnamese included), digits and
    /// a few separators only: anything else cannot be part of a land-record key.
    /// </summary>
    public static string? KeyPart(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > MaxKeyPartLength || !text.All(IsKeyCharacter))
        {
            throw BadInputException.For(
                field,
                $"Chỉ gồm chữ, số và - _ . / (tối đa {MaxKeyPartLength} ký tự) / letters, digits and - _ . / only, at most {MaxKeyPartLength} characters.");
        }

        return text;
    }

    /// <summary>
    /// A bounding box "minX,minY,maxX,maxY" (OGC API also allows 6 numbers with heights, which are ignored when
    /// <paramref name="allowHeights"/>). Returns the numbers as given, in the order given.
    /// </summary>
    public static double[] BboxNumbers(string text, string field, bool allowHeights)
    {
        var parts = text.Split(',');
        if (parts.Length != 4 && !(allowHeights && parts.Length == 6))
        {
            throw BadInputException.For(field, "Cần 4 số: minLon,minLat,maxLon,maxLat / expected 4 comma-separated numbers.");
        }

        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                throw BadInputException.For(field, $"'{Truncate(parts[i])}' không phải là số / is not a finite number.");
            }
        }

        return parts.Length == 6 ? [numbers[0], numbers[1], numbers[3], numbers[4]] : numbers;
    }

    /// <summary>
    /// A WGS 84 bbox: min below max, inside longitude/latitude range, and no wider or taller than
    /// <paramref name="maxSpanDegrees"/> when given.
    /// </summary>
    public static Envelope LonLatBbox(string text, string field, double? maxSpanDegrees)
    {
        var n = BboxNumbers(text, field, allowHeights: false);
        return CheckedLonLat(n[0], n[1], n[2], n[3], field, maxSpanDegrees);
    }

    public static Envelope CheckedLonLat(double minLon, double minLat, double maxLon, double maxLat, string field, double? maxSpanDegrees)
    {
        if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90)
        {
            throw BadInputException.For(field, "Ngoài phạm vi kinh độ/vĩ độ / outside longitude -180..180, latitude -90..90.");
        }

        if (minLon >= maxLon || minLat >= maxLat)
        {
            throw BadInputException.For(field, "Giá trị nhỏ nhất phải nhỏ hơn giá trị lớn nhất / min must be less than max.");
        }

        if (maxSpanDegrees is { } span && (maxLon - minLon > span || maxLat - minLat > span))
        {
            throw BadInputException.For(
                field,
                string.Create(CultureInfo.InvariantCulture, $"Vùng quá lớn, tối đa {span}° × {span}° (dùng /ogc để duyệt theo trang) / area too large: at most {span}° × {span}°; page through /ogc for larger areas."));
        }

        return new Envelope(minLon, maxLon, minLat, maxLat);
    }

    /// <summary>A longitude/latitude point, each in range.</summary>
    public static (double Lon, double Lat) LonLat(double lon, double lat, string lonField, string latField)
    {
        if (lon is < -180 or > 180)
        {
            throw BadInputException.For(lonField, "Kinh độ phải trong -180..180 / longitude must be within -180..180.");
        }

        if (lat is < -90 or > 90)
        {
            throw BadInputException.For(latField, "Vĩ độ phải trong -90..90 / latitude must be within -90..90.");
        }

        return (lon, lat);
    }

    /// <summary>An optional CRS reference; unknown ones raise <see cref="UnknownCrsException"/> (400 naming "crs").</summary>
    public static int? Srid(string? text) => string.IsNullOrEmpty(text) ? null : CrsRegistry.ParseSrid(text);

    private static bool IsKeyCharacter(char c) => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ' ';

    private static string Truncate(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
