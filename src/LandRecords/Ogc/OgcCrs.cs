using HcmCity.Web.Input;
using HcmCity.Web.GeoJson;
using HcmCity.Web.Problems;
using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Ogc;

/// <summary>
/// The CRS parameters of OGC API - Features Part 2 (crs, bbox-crs) for the parcels collection: CRS84 (default and
/// storage CRS), VN-2000 / TM-3 105-45 in which HCMC parcels are surveyed, and EPSG:4326 with its own
/// latitude-first axis order.
/// </summary>
public static class OgcCrs
{
    public const string Crs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    public static IReadOnlyList<string> Supported { get; } =
    [
        Crs84Uri,
        CrsRegistry.OgcUri(Srid.HcmcTm3),
        $"http://www.opengis.net/def/crs/EPSG/0/{Srid.Wgs84}",
    ];

    /// <summary>
    /// The CRS named by a crs or bbox-crs parameter, or CRS84 when absent. Part 2 Req. 6: a CRS not in the
    /// collection's list is a 400 naming <paramref name="field"/>.
    /// </summary>
    public static OutputCrs Parse(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return OutputCrs.Crs84;
        }

        int srid;
        try
        {
            srid = CrsRegistry.ParseSrid(text);
        }
        catch (UnknownCrsException)
        {
            throw NotOffered(field);
        }

        return srid switch
        {
            Srid.Wgs84 => new OutputCrs(Srid.Wgs84, LatitudeFirst: !text.Contains("CRS84", StringComparison.OrdinalIgnoreCase)),
            Srid.HcmcTm3 => new OutputCrs(Srid.HcmcTm3),
            _ => throw NotOffered(field),
        };
    }

    /// <summary>
    /// A bbox given in <paramref name="crs"/> as WGS 84 lon/lat. A projected box is transformed by its corners and
    /// edge midpoints: over a few kilometres a TM-3 box maps to a near-rectangle, so their envelope covers it.
    /// </summary>
    public static Envelope BboxToLonLat(double[] numbers, OutputCrs crs, string field)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var (minX, minY, maxX, maxY) = crs.LatitudeFirst
            ? (numbers[1], numbers[0], numbers[3], numbers[2])
            : (numbers[0], numbers[1], numbers[2], numbers[3]);
        if (crs.Srid == Srid.Wgs84)
        {
            return ParcelInput.CheckedLonLat(minX, minY, maxX, maxY, field, null);
        }

        if (minX >= maxX || minY >= maxY)
        {
            throw BadInputException.For(field, "Giá trị nhỏ nhất phải nhỏ hơn giá trị lớn nhất / min must be less than max.");
        }

        if (!CrsRegistry.PlausibleExtent(crs.Srid).Contains(new Envelope(minX, maxX, minY, maxY)))
        {
            throw BadInputException.For(field, $"Ngoài Việt Nam trong {CrsRegistry.Name(crs.Srid)} / outside Vietnam in {CrsRegistry.Name(crs.Srid)}.");
        }

        var midX = (minX + maxX) / 2;
        var midY = (minY + maxY) / 2;
        var envelope = new Envelope();
        foreach (var (x, y) in new[] { (minX, minY), (midX, minY), (maxX, minY), (maxX, midY), (maxX, maxY), (midX, maxY), (minX, maxY), (minX, midY) })
        {
            var (lon, lat) = CrsTransforms.Transform(x, y, crs.Srid, Srid.Wgs84);
            envelope.ExpandToInclude(lon, lat);
        }

        return envelope;
    }

    private static BadInputException NotOffered(string field) =>
        BadInputException.For(field, $"Hệ tọa độ không được hỗ trợ / CRS not offered for this collection; use one of: {string.Join(", ", Supported)}.");
}
