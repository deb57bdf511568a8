using System.Globalization;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <summary>
/// How attribute names found in cadastral files map to <see cref="Parcel"/>: the Vietnamese cadastral database
/// names (SHBANDO, SHTHUA, DIENTICH, KHLOAIDAT, XAID as exported by ViLIS/TMV.LIS) and common English ones.
/// Matching is case-insensitive.
/// </summary>
internal static class ParcelFields
{
    public static readonly FieldAliases Sheet = new("SHBANDO", "SOTO", "SO_TO", "sheet", "map_sheet", "sheet_no");
    public static readonly FieldAliases Number = new("SHTHUA", "SOTHUA", "SO_THUA", "parcel", "number", "parcel_no", "parcel_number");
    public static readonly FieldAliases RegisteredArea = new("DIENTICH", "DIEN_TICH", "area", "registered_area");
    public static readonly FieldAliases LandUse = new("KHLOAIDAT", "LOAIDAT", "LOAI_DAT", "landuse", "land_use");
    public static readonly FieldAliases Unit = new("XAID", "MAXA", "MA_XA", "unit", "commune", "ward");

    /// <summary>
    /// Personal data of land users (names, addresses, ID card and phone numbers, birth dates). Dropped on import
    /// unless the operator asks to keep them; kept values never leave the restricted outputs.
    /// </summary>
    public static readonly FieldAliases Personal = new(
        "CHUSDUNG", "CHU_SD", "CHUSD", "TENCHU", "TEN_CHU", "HOTEN", "HO_TEN", "owner", "owners", "owner_name", "name_owner",
        "DIACHI", "DIA_CHI", "DIACHICHU", "address", "owner_address",
        "CMND", "SOCMND", "SO_CMND", "CCCD", "SOCCCD", "SO_CCCD", "SODINHDANH", "id_number", "national_id", "id_card",
        "phone", "telephone", "SODIENTHOAI", "DIENTHOAI", "SDT", "email",
        "NAMSINH", "NGAYSINH", "birth_date", "birth_year");

    /// <summary>Text of an attribute value: strings trimmed, whole numbers without a decimal part ("1.0" → "1").</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string text => text.Trim() is { Length: > 0 } trimmed ? trimmed : null,
        double number when double.IsFinite(number) && number == Math.Floor(number) && Math.Abs(number) < 1e15 =>
            ((long)number).ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        decimal number => number == decimal.Truncate(number)
            ? decimal.Truncate(number).ToString(CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture),
        DateTime date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()?.Trim() is { Length: > 0 } other ? other : null,
    };

    /// <summary>A number from a numeric attribute or from text written with a decimal point.</summary>
    public static double? Numeric(object? value) => value switch
    {
        double number when double.IsFinite(number) => number,
        decimal number => (double)number,
        int number => number,
        long number => number,
        string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
        _ => null,
    };
}

internal sealed class FieldAliases(params string[] names)
{
    private readonly HashSet<string> _names = new(names, StringComparer.OrdinalIgnoreCase);

    public bool Matches(string field) => _names.Contains(field.Trim());
}
