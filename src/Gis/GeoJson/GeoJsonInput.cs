using System.Globalization;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.GeoJson;

/// <summary>What reading untrusted GeoJSON with NetTopologySuite.IO.GeoJSON4STJ can throw, and how big it may be.</summary>
public static class GeoJsonInput
{
    /// <summary>
    /// Most positions a geometry sent to the API may have. The largest parcel of the Phù Cát cadastral file has 364
    /// and a drawn footprint a few dozen; the checks' cost grows faster than the size (a 20,000-position site plan
    /// took 1.5 s of CPU), so a cap well above real data keeps one request from starving the others.
    /// </summary>
    public const int MaxVertices = 2_000;

    /// <summary>Most parts a geometry sent to the API may have, counting every polygon ring (shells and holes).</summary>
    public const int MaxParts = 100;

    /// <summary>
    /// True for the reader's failures on malformed input, which are the sender's fault (a 400, a rejected feature):
    /// bad JSON or structure (JsonException, InvalidOperationException, ArgumentException), a number beyond double
    /// (1e309: FormatException), a ring of too few positions (IndexOutOfRangeException), an unknown type
    /// (NotSupportedException), a numeric type beyond the enum's range ("99999999999": OverflowException).
    /// </summary>
    public static bool IsMalformed(Exception exception) => exception is System.Text.Json.JsonException
        or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException
        or NotSupportedException or OverflowException;

    /// <summary>
    /// Why <paramref name="geometry"/> is over <see cref="MaxVertices"/> or <see cref="MaxParts"/>, as a message for the
    /// field that carried it, or null when it is within both.
    /// </summary>
    public static string? TooComplex(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var vertices = geometry.NumPoints;
        if (vertices > MaxVertices)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Hình quá phức tạp: {vertices} đỉnh, tối đa {MaxVertices} / too complex: {vertices} positions, at most {MaxVertices}.");
        }
        var parts = Parts(geometry);
        return parts > MaxParts
            ? string.Create(CultureInfo.InvariantCulture,
                $"Hình quá nhiều phần: {parts} vòng, tối đa {MaxParts} / too many parts: {parts} rings or parts, at most {MaxParts}.")
            : null;
    }

    private static int Parts(Geometry geometry) => geometry switch
    {
        Polygon polygon => 1 + polygon.NumInteriorRings,
        GeometryCollection collection => Enumerable.Range(0, collection.NumGeometries).Sum(i => Parts(collection.GetGeometryN(i))),
        _ => 1,
    };
}
