using System.Globalization;

namespace HcmCity.Gis.Crs;

/// <summary>
/// VN-2000 ↔ WGS 84 by the official 7-parameter transformation of Decision 05/2007/QĐ-BTNMT (EPSG:6960), as
/// PROJ applies a <c>+towgs84</c>: geodetic → geocentric (height 0) → Helmert → geodetic, height dropped.
/// Done here rather than by ProjNET because ProjNET's geocentric → geodetic step is Toms' single-pass
/// approximation (2–3 mm off at 21° N, so round trips drift) and its span path carries the height of one point
/// into the next. Both datums use the WGS 84 ellipsoid (Decision 83/2000/QĐ-TTg).
/// </summary>
internal static class Vn2000Datum
{
    // EPSG:6960 translations (m) and scale (ppm) as published.
    private const double Dx = -191.90441429;
    private const double Dy = -39.30318279;
    private const double Dz = -111.45032835;
    private const double ScalePpm = 0.252906278;

    // The decision publishes Coordinate Frame rotations rX −0.00928836″, rY +0.01975479″, rZ −0.00427372″;
    // these are the Position Vector values (signs flipped) that WKT1 TOWGS84 and PROJ +towgs84 expect.
    // Copying the decision's signs is a known mistake worth about 0.5 m in HCMC.
    private const double RxArcSeconds = 0.00928836;
    private const double RyArcSeconds = -0.01975479;
    private const double RzArcSeconds = 0.00427372;

    private const double ArcSecond = Math.PI / (180 * 3600);
    private const double Rx = RxArcSeconds * ArcSecond;
    private const double Ry = RyArcSeconds * ArcSecond;
    private const double Rz = RzArcSeconds * ArcSecond;
    private const double Scale = 1 + (ScalePpm * 1e-6);

    private const double SemiMajor = 6378137;
    private const double Flattening = 1 / 298.257223563;
    private const double EccentricitySquared = Flattening * (2 - Flattening);
    private const double Degree = Math.PI / 180;

    /// <summary>The same parameters as a WKT1 <c>TOWGS84</c> clause (Position Vector).</summary>
    public static string Towgs84Wkt { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"TOWGS84[{Dx:R},{Dy:R},{Dz:R},{RxArcSeconds:R},{RyArcSeconds:R},{RzArcSeconds:R},{ScalePpm:R}]");

    /// <summary>VN-2000 longitude/latitude (degrees) to WGS 84, in place.</summary>
    public static void ToWgs84(Span<double> lons, Span<double> lats)
    {
        for (var i = 0; i < lons.Length; i++)
        {
            var (x, y, z) = ToGeocentric(lons[i], lats[i]);
            var tx = (Scale * (x - (Rz * y) + (Ry * z))) + Dx;
            var ty = (Scale * ((Rz * x) + y - (Rx * z))) + Dy;
            var tz = (Scale * ((-Ry * x) + (Rx * y) + z)) + Dz;
            (lons[i], lats[i]) = ToGeodetic(tx, ty, tz);
        }
    }

    /// <summary>WGS 84 longitude/latitude (degrees) to VN-2000, in place: the inverse Helmert, as PROJ does it.</summary>
    public static void FromWgs84(Span<double> lons, Span<double> lats)
    {
        for (var i = 0; i < lons.Length; i++)
        {
            var (x, y, z) = ToGeocentric(lons[i], lats[i]);
            x = (x - Dx) / Scale;
            y = (y - Dy) / Scale;
            z = (z - Dz) / Scale;
            var tx = x + (Rz * y) - (Ry * z);
            var ty = (-Rz * x) + y + (Rx * z);
            var tz = (Ry * x) - (Rx * y) + z;
            (lons[i], lats[i]) = ToGeodetic(tx, ty, tz);
        }
    }

    private static (double X, double Y, double Z) ToGeocentric(double lon, double lat)
    {
        var (sinLat, cosLat) = Math.SinCos(lat * Degree);
        var (sinLon, cosLon) = Math.SinCos(lon * Degree);
        var n = SemiMajor / Math.Sqrt(1 - (EccentricitySquared * sinLat * sinLat));
        return (n * cosLat * cosLon, n * cosLat * sinLon, n * (1 - EccentricitySquared) * sinLat);
    }

    /// <summary>Geocentric to geodetic by fixed-point iteration on latitude, converged far below a micrometre.</summary>
    private static (double Lon, double Lat) ToGeodetic(double x, double y, double z)
    {
        var p = Math.Sqrt((x * x) + (y * y));
        var lat = Math.Atan2(z, p * (1 - EccentricitySquared));
        for (var iteration = 0; iteration < 10; iteration++)
        {
            var sinLat = Math.Sin(lat);
            var n = SemiMajor / Math.Sqrt(1 - (EccentricitySquared * sinLat * sinLat));
            var height = (p / Math.Cos(lat)) - n;
            var next = Math.Atan2(z, p * (1 - (EccentricitySquared * n / (n + height))));
            var converged = Math.Abs(next - lat) < 1e-15;
            lat = next;
            if (converged)
            {
                break;
            }
        }

        return (Math.Atan2(y, x) / Degree, lat / Degree);
    }
}
