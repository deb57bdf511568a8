using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Tiles;

/// <summary>
/// XYZ tile scheme of web maps (MapLibre, OSM): Web Mercator (EPSG:3857), tile (0,0) at the north-west corner,
/// 2^z × 2^z tiles at zoom z. Spherical Mercator formulas, so no CRS library is needed here.
/// </summary>
public static class TileMath
{
    /// <summary>Radius of the Web Mercator sphere (the WGS 84 semi-major axis), in metres.</summary>
    public const double EarthRadius = 6378137.0;

    /// <summary>Half the width of the Web Mercator world, in metres.</summary>
    public const double OriginShift = Math.PI * EarthRadius;

    /// <summary>Latitude where Web Mercator turns the world into a square; tiles stop there.</summary>
    public const double MaxLatitude = 85.05112877980659;

    public const int MaxZoom = 24;

    /// <exception cref="ArgumentOutOfRangeException">z is outside 0..24 or x, y outside 0..2^z-1.</exception>
    public static void Validate(int z, int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(z);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(z, MaxZoom);
        var count = 1 << z;
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, count);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, count);
    }

    /// <summary>WGS 84 bounds of the tile: x = longitude, y = latitude.</summary>
    public static Envelope LonLatBounds(int z, int x, int y)
    {
        Validate(z, x, y);
        var count = 1 << z;
        return new Envelope(TileXToLon(x, count), TileXToLon(x + 1, count), TileYToLat(y + 1, count), TileYToLat(y, count));
    }

    /// <summary>Web Mercator (EPSG:3857) bounds of the tile, in metres.</summary>
    public static Envelope WebMercatorBounds(int z, int x, int y)
    {
        Validate(z, x, y);
        var size = TileSizeMetres(z);
        var minX = -OriginShift + x * size;
        var maxY = OriginShift - y * size;
        return new Envelope(minX, minX + size, maxY - size, maxY);
    }

    /// <summary>Width of one tile at zoom z, in Web Mercator metres.</summary>
    public static double TileSizeMetres(int z) => 2 * OriginShift / (1 << z);

    /// <summary>The tile at zoom z that contains the WGS 84 point (clamped to the Mercator square).</summary>
    public static (int X, int Y) TileAt(double lon, double lat, int z)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(z);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(z, MaxZoom);
        var count = 1 << z;
        var (mx, my) = LonLatToWebMercator(lon, lat);
        var x = (int)Math.Floor((mx + OriginShift) / (2 * OriginShift) * count);
        var y = (int)Math.Floor((OriginShift - my) / (2 * OriginShift) * count);
        return (Math.Clamp(x, 0, count - 1), Math.Clamp(y, 0, count - 1));
    }

    public static (double X, double Y) LonLatToWebMercator(double lon, double lat)
    {
        var clamped = Math.Clamp(lat, -MaxLatitude, MaxLatitude) * Math.PI / 180;
        var x = lon * Math.PI / 180 * EarthRadius;
        var y = Math.Log(Math.Tan(Math.PI / 4 + clamped / 2)) * EarthRadius;
        return (x, y);
    }

    public static (double Lon, double Lat) WebMercatorToLonLat(double x, double y)
    {
        var lon = x / EarthRadius * 180 / Math.PI;
        var lat = (2 * Math.Atan(Math.Exp(y / EarthRadius)) - Math.PI / 2) * 180 / Math.PI;
        return (lon, lat);
    }

    private static double TileXToLon(int x, int count) => (double)x / count * 360.0 - 180.0;

    private static double TileYToLat(int y, int count) =>
        Math.Atan(Math.Sinh(Math.PI * (1 - 2.0 * y / count))) * 180 / Math.PI;
}
