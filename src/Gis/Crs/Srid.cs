namespace HcmCity.Gis.Crs;

/// <summary>EPSG codes the platform works in most. <see cref="CrsRegistry.Supported"/> lists every code it accepts.</summary>
public static class Srid
{
    /// <summary>WGS 84 geographic, x = longitude, y = latitude: what the web map and the public API speak.</summary>
    public const int Wgs84 = 4326;

    /// <summary>WGS 84 / Pseudo-Mercator, the vector tile grid.</summary>
    public const int WebMercator = 3857;

    /// <summary>VN-2000 geographic (Decision 83/2000/QĐ-TTg).</summary>
    public const int Vn2000 = 4756;

    /// <summary>VN-2000 / TM-3 105-45: Ho Chi Minh City cadastral maps (central meridian 105°45′).</summary>
    public const int HcmcTm3 = 9210;

    /// <summary>VN-2000 / TM-3 107-45: former Bà Rịa–Vũng Tàu cadastral maps, part of HCMC since July 2025.</summary>
    public const int BrvtTm3 = 5899;

    /// <summary>VN-2000 / TM-3 zone 482 (central meridian 105°00′, used around Hà Nội).</summary>
    public const int HanoiTm3 = 5897;
}
