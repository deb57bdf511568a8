using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Crs;

/// <summary>
/// The coordinate reference systems the platform reads and writes: WGS 84, Web Mercator, VN-2000 geographic and the
/// VN-2000 TM-3 cadastral zones. Everything about a CRS (name, WKT for ProjNET, OGC URI, plausible extent) is
/// answered here from one table.
/// </summary>
public static partial class CrsRegistry
{
    private const string Wgs84Spheroid = "SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]]";
    private const string Greenwich = "PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]]";
    private const string Degree = "UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]]";
    private const string Metre = "UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]]";

    private const string Wgs84Geogcs =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\"," + Wgs84Spheroid + ",AUTHORITY[\"EPSG\",\"6326\"]],"
        + Greenwich + "," + Degree + ",AUTHORITY[\"EPSG\",\"4326\"]]";

    /// <summary>
    /// VN-2000 uses the WGS 84 ellipsoid (Decision 83/2000/QĐ-TTg) with its own datum origin; TOWGS84 is the
    /// official EPSG:6960 transformation (see <see cref="Vn2000Datum"/> for the sign convention).
    /// </summary>
    private static readonly string Vn2000Geogcs =
        "GEOGCS[\"VN-2000\",DATUM[\"Vietnam_2000\"," + Wgs84Spheroid + "," + Vn2000Datum.Towgs84Wkt
        + ",AUTHORITY[\"EPSG\",\"6756\"]]," + Greenwich + "," + Degree + ",AUTHORITY[\"EPSG\",\"4756\"]]";

    /// <summary>
    /// VN-2000 TM-3 zones: Transverse Mercator, scale 0.9999, false easting 500 000 m, false northing 0, each
    /// province on the central meridian assigned by Decision 83/2000/QĐ-TTg and Circular 973/2001/TT-TCĐC.
    /// Codes, names and meridians as in the EPSG dataset (checked with PROJ 9 <c>projinfo EPSG:xxxx</c>).
    /// </summary>
    private static readonly (int Srid, string Name, double CentralMeridian)[] Tm3Zones =
    [
        (5896, "VN-2000 / TM-3 zone 481", 102.0),
        (5897, "VN-2000 / TM-3 zone 482", 105.0),
        (5898, "VN-2000 / TM-3 zone 491", 108.0),
        (5899, "VN-2000 / TM-3 107-45", 107.75),
        (9205, "VN-2000 / TM-3 103-00", 103.0),
        (9206, "VN-2000 / TM-3 104-00", 104.0),
        (9207, "VN-2000 / TM-3 104-30", 104.5),
        (9208, "VN-2000 / TM-3 104-45", 104.75),
        (9209, "VN-2000 / TM-3 105-30", 105.5),
        (9210, "VN-2000 / TM-3 105-45", 105.75),
        (9211, "VN-2000 / TM-3 106-00", 106.0),
        (9212, "VN-2000 / TM-3 106-15", 106.25),
        (9213, "VN-2000 / TM-3 106-30", 106.5),
        (9214, "VN-2000 / TM-3 107-00", 107.0),
        (9215, "VN-2000 / TM-3 107-15", 107.25),
        (9216, "VN-2000 / TM-3 107-30", 107.5),
        (9217, "VN-2000 / TM-3 108-15", 108.25),
        (9218, "VN-2000 / TM-3 108-30", 108.5),
    ];

    /// <summary>TM-3 scale factor on the central meridian (Decision 83/2000/QĐ-TTg).</summary>
    internal const double Tm3ScaleFactor = 0.9999;

    internal const double Tm3FalseEasting = 500_000;

    /// <summary>
    /// Coordinates outside these boxes are not Vietnamese data in that CRS (typically degrees labelled as metres,
    /// or the wrong file). Vietnam with its islands lies within 102°–118° E, 6°–24° N; a TM-3 zone seen from its
    /// own meridian then spans easting 0–1 000 km and northing 500–2 700 km.
    /// </summary>
    private static readonly Envelope GeographicExtent = new(100, 120, 4, 25);
    private static readonly Envelope Tm3Extent = new(0, 1_000_000, 500_000, 2_700_000);
    private static readonly Envelope WebMercatorExtent = new(11_100_000, 13_400_000, 440_000, 2_900_000);

    private sealed record Definition(int Srid, string Name, string Wkt, bool IsGeographic, bool OnVn2000, Envelope Extent);

    private static readonly FrozenDictionary<int, Definition> Definitions = BuildDefinitions();

    private static readonly int[] SupportedCodes = [.. Definitions.Keys.Order()];

    /// <summary>Every EPSG code accepted by <see cref="ParseSrid"/> and <see cref="CrsTransforms"/>, ascending.</summary>
    public static IReadOnlyCollection<int> Supported => SupportedCodes;

    public static bool IsSupported(int srid) => Definitions.ContainsKey(srid);

    /// <summary>The EPSG name, e.g. "VN-2000 / TM-3 105-45".</summary>
    public static string Name(int srid) => Get(srid).Name;

    /// <summary>WKT1 as read by ProjNET; VN-2000 systems carry the EPSG:6960 <c>TOWGS84</c>.</summary>
    public static string Wkt(int srid) => Get(srid).Wkt;

    /// <summary>True for longitude/latitude systems (x = longitude, y = latitude, degrees).</summary>
    public static bool IsGeographic(int srid) => Get(srid).IsGeographic;

    /// <summary>True for the VN-2000 TM-3 cadastral zones, where parcel areas are measured.</summary>
    public static bool IsTm3(int srid) => Tm3Zones.Any(zone => zone.Srid == srid);

    /// <summary>The TM-3 zone whose central meridian is nearest to the longitude (degrees east).</summary>
    public static int NearestTm3Zone(double longitude) =>
        Tm3Zones.MinBy(zone => Math.Abs(zone.CentralMeridian - longitude)).Srid;

    /// <summary>True for systems on the VN-2000 datum (which need the EPSG:6960 shift to reach WGS 84).</summary>
    internal static bool IsOnVn2000(int srid) => Get(srid).OnVn2000;

    /// <summary>
    /// The box in <paramref name="srid"/> units where Vietnamese data can lie; a coordinate outside it means the
    /// data is not in that CRS. A new envelope on each call (NTS envelopes are mutable).
    /// </summary>
    public static Envelope PlausibleExtent(int srid) => new(Get(srid).Extent);

    /// <summary>
    /// EPSG code of a CRS reference as found in GeoJSON, OGC APIs and command lines: "EPSG:9210", "9210",
    /// "urn:ogc:def:crs:EPSG::9210", "http://www.opengis.net/def/crs/EPSG/0/9210", or CRS84 (→ 4326).
    /// Axis order is always x = easting/longitude, y = northing/latitude, as GDAL writes GeoJSON.
    /// </summary>
    /// <exception cref="UnknownCrsException">Unrecognised text or a code the platform does not support.</exception>
    public static int ParseSrid(string crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var text = crs.Trim();
        if (Crs84Pattern().IsMatch(text))
        {
            return Srid.Wgs84;
        }

        var match = EpsgPattern().Match(text);
        if (match.Success
            && int.TryParse(match.Groups["code"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var srid)
            && IsSupported(srid))
        {
            return srid;
        }

        throw new UnknownCrsException(crs);
    }

    /// <summary>OGC URI of the CRS; WGS 84 is given as CRS84 because we always write longitude first.</summary>
    public static string OgcUri(int srid) =>
        srid == Srid.Wgs84
            ? "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
            : $"http://www.opengis.net/def/crs/EPSG/0/{Get(srid).Srid}";

    /// <summary>
    /// Recognises a WKT1 text (an ESRI .prj or a GDAL WKT) as one of the supported systems: by its EPSG authority
    /// code when present, else by projection parameters (TM-3 on the VN-2000 datum), else by name.
    /// Returns false rather than guessing, so that a reader can ask for an explicit CRS.
    /// </summary>
    public static bool TryIdentify(string wkt, out int srid)
    {
        srid = 0;
        if (string.IsNullOrWhiteSpace(wkt))
        {
            return false;
        }

        var authorities = AuthorityPattern().Matches(wkt);
        if (authorities.Count > 0
            && int.TryParse(authorities[^1].Groups["code"].ValueSpan, CultureInfo.InvariantCulture, out var code)
            && IsSupported(code))
        {
            // In WKT1 the CRS's own AUTHORITY is the last one; the earlier ones belong to its parts.
            srid = code;
            return true;
        }

        var text = wkt.TrimStart();
        var datum = Normalize(DatumPattern().Match(wkt).Groups["name"].Value);
        var isVn2000 = datum.Contains("vietnam2000", StringComparison.Ordinal) || datum.Contains("vn2000", StringComparison.Ordinal);
        if (text.StartsWith("GEOGCS", StringComparison.OrdinalIgnoreCase))
        {
            srid = isVn2000 ? Srid.Vn2000 : datum.Contains("wgs1984", StringComparison.Ordinal) || datum.Contains("wgs84", StringComparison.Ordinal) ? Srid.Wgs84 : 0;
            return srid != 0;
        }

        if (!text.StartsWith("PROJCS", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (isVn2000 && TryIdentifyTm3(wkt, out srid))
        {
            return true;
        }

        var name = Normalize(NamePattern().Match(wkt).Groups["name"].Value);
        foreach (var definition in Definitions.Values)
        {
            if (!definition.IsGeographic && Normalize(definition.Name) == name)
            {
                srid = definition.Srid;
                return true;
            }
        }

        return false;
    }

    private static bool TryIdentifyTm3(string wkt, out int srid)
    {
        srid = 0;
        if (!Normalize(ProjectionPattern().Match(wkt).Groups["name"].Value).Contains("transversemercator", StringComparison.Ordinal))
        {
            return false;
        }

        var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match parameter in ParameterPattern().Matches(wkt))
        {
            if (double.TryParse(parameter.Groups["value"].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                parameters[Normalize(parameter.Groups["name"].Value)] = value;
            }
        }

        static bool Is(Dictionary<string, double> values, string key, double expected, double fallback) =>
            Math.Abs(values.GetValueOrDefault(key, fallback) - expected) < 1e-9;

        if (!Is(parameters, "scalefactor", Tm3ScaleFactor, double.NaN)
            || !Is(parameters, "falseeasting", Tm3FalseEasting, double.NaN)
            || !Is(parameters, "falsenorthing", 0, 0)
            || !Is(parameters, "latitudeoforigin", 0, 0)
            || !parameters.TryGetValue("centralmeridian", out var centralMeridian))
        {
            return false;
        }

        foreach (var zone in Tm3Zones)
        {
            if (Math.Abs(zone.CentralMeridian - centralMeridian) < 1e-9)
            {
                srid = zone.Srid;
                return true;
            }
        }

        return false;
    }

    private static Definition Get(int srid) =>
        Definitions.TryGetValue(srid, out var definition)
            ? definition
            : throw new UnknownCrsException(srid.ToString(CultureInfo.InvariantCulture));

    private static string Normalize(string name) =>
        string.Concat(name.Where(char.IsAsciiLetterOrDigit)).ToLowerInvariant();

    private static FrozenDictionary<int, Definition> BuildDefinitions()
    {
        var definitions = new List<Definition>
        {
            new(Srid.Wgs84, "WGS 84", Wgs84Geogcs, true, false, GeographicExtent),
            new(Srid.Vn2000, "VN-2000", Vn2000Geogcs, true, true, GeographicExtent),
            new(Srid.WebMercator, "WGS 84 / Pseudo-Mercator",
                "PROJCS[\"WGS 84 / Pseudo-Mercator\"," + Wgs84Geogcs
                + ",PROJECTION[\"Popular Visualisation Pseudo-Mercator\",AUTHORITY[\"EPSG\",\"3856\"]],"
                + "PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",0],PARAMETER[\"false_easting\",0],"
                + "PARAMETER[\"false_northing\",0]," + Metre + ",AUTHORITY[\"EPSG\",\"3857\"]]",
                false, false, WebMercatorExtent),
        };
        foreach (var (srid, name, centralMeridian) in Tm3Zones)
        {
            var wkt = string.Create(
                CultureInfo.InvariantCulture,
                $"PROJCS[\"{name}\",{Vn2000Geogcs},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],"
                + $"PARAMETER[\"central_meridian\",{centralMeridian}],PARAMETER[\"scale_factor\",{Tm3ScaleFactor}],"
                + $"PARAMETER[\"false_easting\",{Tm3FalseEasting}],PARAMETER[\"false_northing\",0],{Metre},"
                + $"AUTHORITY[\"EPSG\",\"{srid}\"]]");
            definitions.Add(new(srid, name, wkt, false, true, Tm3Extent));
        }

        return definitions.ToFrozenDictionary(definition => definition.Srid);
    }

    [GeneratedRegex(@"^(?:(?:OGC:)?CRS84|urn:ogc:def:crs:OGC:(?:1\.3)?:CRS84|https?://www\.opengis\.net/def/crs/OGC/1\.3/CRS84)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Crs84Pattern();

    [GeneratedRegex(@"^(?:EPSG::?|urn:(?:x-)?ogc:def:crs:EPSG:(?:[0-9.]*):|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)?(?<code>[0-9]{1,6})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EpsgPattern();

    [GeneratedRegex(@"AUTHORITY\[\s*""EPSG""\s*,\s*""?(?<code>[0-9]+)""?\s*\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorityPattern();

    [GeneratedRegex(@"DATUM\[\s*""(?<name>[^""]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DatumPattern();

    [GeneratedRegex(@"^\s*PROJCS\[\s*""(?<name>[^""]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"PROJECTION\[\s*""(?<name>[^""]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProjectionPattern();

    [GeneratedRegex(@"PARAMETER\[\s*""(?<name>[^""]*)""\s*,\s*(?<value>[-+0-9.eE]+)\s*\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();
}
