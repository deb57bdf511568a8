using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace HcmCity.ApiLoad;

/// <summary>
/// Points where the data is: centres of parcels read from OGC items pages at random offsets, each jittered a few
/// metres when used. Uniform points over the bounds would mostly land between the city's built-up clusters.
/// </summary>
public sealed class SamplePoints(IReadOnlyList<(double Lon, double Lat)> centres, IReadOnlyList<SampleLot> lots)
{
    /// <summary>About 5 m in degrees at HCMC's latitude.</summary>
    private const double Jitter = 0.00005;

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    private readonly Lazy<IReadOnlyList<byte[]>> _sitePlans = new(() => BuildSitePlans(lots));

    public int Count => centres.Count;

    /// <summary>
    /// Bodies of <c>POST /api/site-plans/check</c> on the sampled parcels, built once: even lots get a house 1 m
    /// inside the boundary (3 floors, 12 m), odd lots one 0.8 m over it with 6 floors and 25 m, which fails several
    /// rules and returns their geometry. The footprint is in the parcel's source CRS, as the API requires.
    /// </summary>
    public IReadOnlyList<byte[]> SitePlans => _sitePlans.Value;

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
        var lots = new List<SampleLot>();
        for (var page = 0; page < pages; page++)
        {
            var offset = (long)(random.NextDouble() * Math.Max(0, matched - 1000));
            using var json = await http.GetFromJsonAsync<JsonDocument>(
                string.Create(CultureInfo.InvariantCulture, $"ogc/collections/parcels/items?limit=1000&offset={offset}"), cancellationToken);
            foreach (var feature in json!.RootElement.GetProperty("features").EnumerateArray())
            {
                centres.Add(Centre(feature.GetProperty("geometry")));
                lots.Add(new SampleLot(
                    feature.GetProperty("id").GetInt64(),
                    feature.GetProperty("properties").GetProperty("sourceCrs").GetString()!,
                    feature.GetProperty("geometry").GetRawText()));
            }
        }

        return new SamplePoints(centres, lots);
    }

    private static List<byte[]> BuildSitePlans(IReadOnlyList<SampleLot> lots)
    {
        var bodies = new List<byte[]>();
        foreach (var lot in lots)
        {
            var wgs84 = JsonSerializer.Deserialize<Geometry>(lot.GeometryGeoJson, GeoJson)!;
            wgs84 = GeometryFactories.For(Srid.Wgs84).CreateGeometry(wgs84);
            var source = CrsTransforms.Transform(wgs84, CrsRegistry.ParseSrid(lot.SourceCrs));
            var failing = bodies.Count % 2 == 1;
            if (source.Buffer(failing ? 0.8 : -1.0) is not Polygon { IsEmpty: false } footprint)
            {
                continue;
            }

            var body = new Dictionary<string, object>
            {
                ["parcelId"] = lot.Id,
                ["footprint"] = footprint,
                ["floors"] = failing ? 6 : 3,
                ["height"] = failing ? 25.0 : 12.0,
                ["roadWidth"] = 8.0,
                ["areaType"] = "existing",
            };
            bodies.Add(JsonSerializer.SerializeToUtf8Bytes(body, GeoJson));
        }

        return bodies.Count > 0 ? bodies : throw new InvalidOperationException("No sampled parcel can carry a site plan.");
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

/// <summary>A sampled parcel: its id, its source CRS ("EPSG:9210") and its WGS 84 GeoJSON geometry.</summary>
public sealed record SampleLot(long Id, string SourceCrs, string GeometryGeoJson);
