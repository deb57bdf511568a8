using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace HcmCity.ApiLoad;

/// <summary>
/// Points where the data is: centres of parcels read from OGC items pages at random offsets, each jittered a few
/// metres when used. Uniform points over the bounds would mostly land between the city's built-up clusters.
/// </summary>
public sealed class SamplePoints(IReadOnlyList<(double Lon, double Lat)> centres)
{
    /// <summary>About 5 m in degrees at HCMC's latitude.</summary>
    private const double Jitter = 0.00005;

    public int Count => centres.Count;

    public (double Lon, double Lat) Next(Random random)
    {
        var (lon, lat) = centres[random.Next(centres.Count)];
        return (lon + (random.NextDouble() - 0.5) * Jitter, lat + (random.NextDouble() - 0.5) * Jitter);
    }

    public static async Task<SamplePoints> LoadAsync(HttpClient http, int pages, CancellationToken cancellationToken)
    {
        using var first = await http.GetFromJsonAsync<JsonDocument>("ogc/collections/parcels/items?limit=1", cancellationToken)
            ?? throw new InvalidOperationException("No answer from the OGC items endpoint.");
        var matched = first.RootElement.GetProperty("numberMatched").GetInt64();
        if (matched == 0)
        {
            throw new InvalidOperationException("The platform holds no parcels: load or seed some first.");
        }

        var random = new Random(2026);
        var centres = new List<(double, double)>();
        for (var page = 0; page < pages; page++)
        {
            var offset = (long)(random.NextDouble() * Math.Max(0, matched - 1000));
            using var json = await http.GetFromJsonAsync<JsonDocument>(
                string.Create(CultureInfo.InvariantCulture, $"ogc/collections/parcels/items?limit=1000&offset={offset}"), cancellationToken);
            foreach (var feature in json!.RootElement.GetProperty("features").EnumerateArray())
            {
                centres.Add(Centre(feature.GetProperty("geometry")));
            }
        }

        return new SamplePoints(centres);
    }

    /// <summary>Centre of the envelope of the geometry's positions (the first ring is enough for a lot).</summary>
    private static (double, double) Centre(JsonElement geometry)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        void Walk(JsonElement e)
        {
            if (e[0].ValueKind == JsonValueKind.Number)
            {
                var (x, y) = (e[0].GetDouble(), e[1].GetDouble());
                (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                return;
            }

            foreach (var child in e.EnumerateArray())
            {
                Walk(child);
            }
        }

        Walk(geometry.GetProperty("coordinates"));
        return ((minX + maxX) / 2, (minY + maxY) / 2);
    }
}
