using System.Globalization;
using HcmCity.Gis.Tiles;

namespace HcmCity.ApiLoad;

/// <summary>
/// One kind of request, built around a random sample point of the data. <see cref="Target"/> is the latency the
/// README asks of 2.5 M parcels in PostGIS under 50 clients.
/// </summary>
/// <param name="Key">Name on the command line (--scenarios at,ogc).</param>
/// <param name="NextBody">When set, the request is a POST of this JSON body to the path; else a GET.</param>
public sealed record Scenario(
    string Key, string Name, string Target, Func<SamplePoints, Random, string> NextPath,
    Func<SamplePoints, Random, byte[]>? NextBody = null)
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("at", "GET /api/parcels/at", "p50 ≤ 2 ms, p99 ≤ 10 ms", (points, random) =>
        {
            var (lon, lat) = points.Next(random);
            return Invariant($"api/parcels/at?lon={lon:F7}&lat={lat:F7}");
        }),
        new("ogc", "OGC items, 100 in bbox", "≤ 20 ms", (points, random) =>
        {
            // A ~550 m square around the point: a street-block view as GIS software pages it.
            var (lon, lat) = points.Next(random);
            return Invariant($"ogc/collections/parcels/items?bbox={lon - 0.0025:F6},{lat - 0.0025:F6},{lon + 0.0025:F6},{lat + 0.0025:F6}&limit=100");
        }),
        new("tile-z14", "tile z14", "", (points, random) => TilePath(points, random, 14)),
        new("tile-z16", "tile z16", "p50 ≤ 15 ms", (points, random) => TilePath(points, random, 16)),
        // Half passing, half failing plans on parcels on record; half of the answers in WGS 84 as the web map asks.
        new("site-plans", "POST /api/site-plans/check", "10,000 in ≤ 10 s", (_, random) =>
                random.Next(2) == 0 ? "api/site-plans/check" : "api/site-plans/check?crs=EPSG:4326",
            (points, random) => points.SitePlans[random.Next(points.SitePlans.Count)]),
        // The open figures (công khai) over 10,000 dossiers (public-figures-seed.sql): all wards, one ward, one period.
        new("public", "GET /api/public/processing", "p99 ≤ 50 ms", (_, random) => random.Next(3) switch
        {
            0 => "api/public/processing",
            1 => Invariant($"api/public/processing?ward=bench-{random.Next(8)}"),
            _ => Invariant($"api/public/processing?from=2026-{1 + random.Next(6):D2}-01&to=2026-{7 + random.Next(5):D2}-28"),
        }),
        new("public-sites", "GET /api/public/sites", "p99 ≤ 50 ms", (_, random) =>
            Invariant($"api/public/sites?month=2026-{1 + random.Next(12):D2}")),
    ];

    public static IReadOnlyList<string> Keys { get; } = [.. All.Select(s => s.Key)];

    /// <summary>Scenarios that use no sample parcels.</summary>
    public static IReadOnlySet<string> PublicKeys { get; } = new HashSet<string>(StringComparer.Ordinal) { "public", "public-sites" };

    private static string TilePath(SamplePoints points, Random random, int z)
    {
        var (lon, lat) = points.Next(random);
        var (x, y) = TileMath.TileAt(lon, lat, z);
        return Invariant($"tiles/parcels/{z}/{x}/{y}.mvt");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
