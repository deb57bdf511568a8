namespace HcmCity.Gis.GeoJson;

/// <summary>What reading untrusted GeoJSON with NetTopologySuite.IO.GeoJSON4STJ can throw.</summary>
public static class GeoJsonInput
{
    /// <summary>
    /// True for the reader's failures on malformed input, which are the sender's fault (a 400, a rejected feature):
    /// bad JSON or structure (JsonException, InvalidOperationException, ArgumentException), a number beyond double
    /// (1e309: FormatException), a ring of too few positions (IndexOutOfRangeException), an unknown type
    /// (NotSupportedException), a numeric type beyond the enum's range ("99999999999": OverflowException).
    /// </summary>
    public static bool IsMalformed(Exception exception) => exception is System.Text.Json.JsonException
        or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException
        or NotSupportedException or OverflowException;
}
