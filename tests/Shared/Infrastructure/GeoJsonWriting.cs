using System.Text.Json;

namespace HcmCity.Testing;

/// <summary>Pieces of the cadastral GeoJSON files the CLI tests import.</summary>
internal static class GeoJsonWriting
{
    /// <summary>
    /// The members of a Polygon geometry (inside its object): a 15 m square lot, 225 m², with its south-west
    /// corner at (<paramref name="east"/>, <paramref name="north"/>) in the file's projected CRS.
    /// </summary>
    public static void WriteSquareLot(Utf8JsonWriter json, double east, double north)
    {
        json.WriteString("type", "Polygon");
        json.WriteStartArray("coordinates");
        json.WriteStartArray();
        foreach (var (dx, dy) in new[] { (0, 0), (15, 0), (15, 15), (0, 15), (0, 0) })
        {
            json.WriteStartArray();
            json.WriteNumberValue(east + dx);
            json.WriteNumberValue(north + dy);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndArray();
    }
}
