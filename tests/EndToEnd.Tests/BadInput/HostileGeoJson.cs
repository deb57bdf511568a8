using HcmCity.Testing;
using System.Globalization;
using System.Text;
using HcmCity.Gis.GeoJson;

namespace HcmCity.EndToEnd.Tests.BadInput;

/// <summary>
/// One generated geometry as JSON text, what it is (<see cref="Kind"/>) and how the API must answer it: accepted
/// (<see cref="Accepted"/>), or refused naming the geometry's own field, or naming "body" when the text is not JSON
/// at all (<see cref="BreaksJson"/>: NaN tokens, nesting deeper than any parser allows).
/// </summary>
internal sealed record GeoJsonCase(string Kind, string Json, bool Accepted, bool BreaksJson = false)
{
    public override string ToString() => $"{Kind} ({Json.Length} chars): {Problem.Shorten(Json)}";
}

/// <summary>
/// A seeded generator of hostile GeoJSON geometries drawn in a projected CRS (metres) around a 10 × 20 m lot whose
/// south-west corner is (<paramref name="east"/>, <paramref name="north"/>): self-intersecting bow-ties, empty,
/// unclosed and too-short rings, NaN/Infinity (as strings, and as bare tokens that make the body invalid JSON),
/// 1e308 and 1e309 numbers, degrees where metres are expected, footprints far away, huge coordinate arrays, deep
/// nesting, wrong types and wrong geometry types. The valid-but-odd ones must be accepted and checked normally:
/// clockwise shells (RFC 7946 §3.1.6: receivers should not reject them), positions with heights, and a valid ring
/// of up to <see cref="GeoJsonInput.MaxVertices"/> positions (one of tens of thousands is refused as too complex).
/// Written by hand (no FsCheck dependency): the cases are JSON text, much of it
/// not representable as a geometry object, so a text generator is the simplest property generator.
/// </summary>
internal sealed class HostileGeoJson(Random random, double east, double north)
{
    /// <summary>Every kind, so each run covers all of them whatever the seed.</summary>
    public static readonly string[] Kinds =
    [
        "bow-tie", "empty-coordinates", "empty-ring", "unclosed-ring", "short-ring", "nan-string", "nan-token",
        "huge-number", "overflow-number", "degrees", "far-away", "zigzag-huge-array", "deep-nesting", "nested-positions",
        "wrong-type", "numeric-type", "two-part-multipolygon", "hole-outside-shell", "collinear", "not-an-object",
        "clockwise", "with-heights", "valid-huge-array", "valid-large-array",
    ];

    /// <summary>Kinds that do not hold for a parcel: a parcel far away is reported on the footprint instead.</summary>
    public static readonly string[] FootprintOnlyKinds = ["far-away"];

    /// <summary>The valid counter-clockwise rectangle (x0, y0)-(x1, y1), metres from the lot corner, as GeoJSON.</summary>
    public string Rectangle(double x0, double y0, double x1, double y1, bool clockwise = false)
    {
        var ring = new List<(double, double)> { (x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0) };
        if (clockwise)
        {
            ring.Reverse();
        }
        return Polygon(Ring(ring));
    }

    /// <summary>A random rectangle inside the lot, as (x0, y0, x1, y1) metres from its corner.</summary>
    public (double X0, double Y0, double X1, double Y1) RandomRectangle() =>
        (Between(1, 3), Between(1, 3), Between(6, 9), Between(14, 19));

    public GeoJsonCase Next(IReadOnlyCollection<string>? excluded = null)
    {
        string kind;
        do
        {
            kind = Kinds[random.Next(Kinds.Length)];
        }
        while (excluded?.Contains(kind) == true);
        return Make(kind);
    }

    public GeoJsonCase Make(string kind)
    {
        var (x0, y0, x1, y1) = RandomRectangle();
        return kind switch
        {
            // a → c → b → d crosses itself in the middle
            "bow-tie" => Reject(kind, Polygon(Ring([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)]))),
            "empty-coordinates" => Reject(kind, """{"type":"Polygon","coordinates":[]}"""),
            "empty-ring" => Reject(kind, random.Next(2) == 0 ? """{"type":"Polygon","coordinates":[[]]}""" : """{"type":"Polygon","coordinates":[[],[]]}"""),
            "unclosed-ring" => Reject(kind, Polygon(Ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))),
            "short-ring" => Reject(kind, Polygon(Ring(random.Next(3) switch
            {
                0 => [(x0, y0)],
                1 => [(x0, y0), (x1, y1)],
                _ => [(x0, y0), (x1, y1), (x0, y0)],
            }))),
            "nan-string" => Reject(kind, Spoil(x0, y0, x1, y1, Pick("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e999\"", "\"\""))),
            "nan-token" => new GeoJsonCase(kind, Spoil(x0, y0, x1, y1, Pick("NaN", "Infinity", "-Infinity", "nan", "+Infinity")), Accepted: false, BreaksJson: true),
            "huge-number" => Reject(kind, Spoil(x0, y0, x1, y1, Pick("1e308", "-1e308", "1.7976931348623157e308", "-1.7976931348623157e308"))),
            "overflow-number" => Reject(kind, Spoil(x0, y0, x1, y1, Pick("1e309", "-1e309", "1e400", "123456789e999"))),
            "degrees" => Reject(kind, Degrees()),
            "far-away" => Reject(kind, Shifted(x0, y0, x1, y1, Pick(5_000.0, -5_000.0, 250_000.0, -800_000.0))),
            "zigzag-huge-array" => Reject(kind, Zigzag(random.Next(10_000, 40_000))),
            "deep-nesting" => new GeoJsonCase(kind, Nested(random.Next(70, 5_000)), Accepted: false, BreaksJson: true),
            "nested-positions" => Reject(kind, Nested(random.Next(4, 20))),
            "wrong-type" => Reject(kind, WrongType(x0, y0, x1, y1)),
            // A type that parses as a number too big for the geometry-type enum: an OverflowException in the reader.
            "numeric-type" => Reject(kind, $$"""{"type":"{{Pick("99999999999", "-99999999999", "4294967296")}}","coordinates":{{Rings(x0, y0, x1, y1)}}}"""),
            "two-part-multipolygon" => Reject(kind,
                $$"""{"type":"MultiPolygon","coordinates":[{{Rings(x0, y0, x0 + 1, y0 + 1)}},{{Rings(x1 - 1, y1 - 1, x1, y1)}}]}"""),
            "hole-outside-shell" => Reject(kind,
                $$"""{"type":"Polygon","coordinates":[{{Ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])}},{{Ring([(x1 + 50, y0), (x1 + 51, y0), (x1 + 51, y0 + 1), (x1 + 50, y0)])}}]}"""),
            "collinear" => Reject(kind, Polygon(Ring([(x0, y0), (x0 + 1, y0 + 1), (x0 + 2, y0 + 2), (x0 + 3, y0 + 3), (x0, y0)]))),
            "not-an-object" => Reject(kind, Pick("42", "\"POLYGON((0 0,1 0,1 1,0 0))\"", "[]", "true", "[[1,2],[3,4]]")),
            "clockwise" => Accept(kind, Rectangle(x0, y0, x1, y1, clockwise: true)),
            "with-heights" => Accept(kind, Polygon(Ring3([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]))),
            // Valid, but over the cap on positions of any geometry a request carries: refused before any check runs.
            "valid-huge-array" => Reject(kind, Circle(random.Next(GeoJsonInput.MaxVertices, 40_000))),
            "valid-large-array" => Accept(kind, Circle(random.Next(500, GeoJsonInput.MaxVertices))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static GeoJsonCase Reject(string kind, string json) => new(kind, json, Accepted: false);

    private static GeoJsonCase Accept(string kind, string json) => new(kind, json, Accepted: true);

    private T Pick<T>(params T[] choices) => choices[random.Next(choices.Length)];

    private double Between(double min, double max) => Math.Round(min + (random.NextDouble() * (max - min)), 3);

    private static string Polygon(string ring) => $$"""{"type":"Polygon","coordinates":[{{ring}}]}""";

    private string Rings(double x0, double y0, double x1, double y1) =>
        $"[{Ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])}]";

    private string Ring(IEnumerable<(double X, double Y)> positions) =>
        "[" + string.Join(",", positions.Select(p => Position(east + p.X, north + p.Y))) + "]";

    private string Ring3(IEnumerable<(double X, double Y)> positions) =>
        "[" + string.Join(",", positions.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"[{east + p.X:R},{north + p.Y:R},{Between(0, 30):R}{(random.Next(2) == 0 ? ",0" : "")}]"))) + "]";

    private static string Position(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"[{x:R},{y:R}]");

    /// <summary>The valid rectangle with one number (x or y of a random position) replaced by <paramref name="token"/>.</summary>
    private string Spoil(double x0, double y0, double x1, double y1, string token)
    {
        var positions = new[] { (x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0) }
            .Select(p => new[] { Number(east + p.Item1), Number(north + p.Item2) }).ToArray();
        var at = random.Next(positions.Length);
        positions[at][random.Next(2)] = token;
        if (at == 0)
        {
            positions[^1] = positions[0];
        }
        return Polygon("[" + string.Join(",", positions.Select(p => $"[{p[0]},{p[1]}]")) + "]");

        static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A rectangle in WGS 84 degrees around District 1, where metres are expected.</summary>
    private string Degrees()
    {
        var lon = 106.7 + (random.NextDouble() * 0.01);
        var lat = 10.77 + (random.NextDouble() * 0.01);
        const double D = 0.0001;
        return Polygon("[" + string.Join(",", new[] { (lon, lat), (lon + D, lat), (lon + D, lat + D), (lon, lat + D), (lon, lat) }
            .Select(p => Position(p.Item1, p.Item2))) + "]");
    }

    private string Shifted(double x0, double y0, double x1, double y1, double by) =>
        Polygon(Ring([(x0 + by, y0 + by), (x1 + by, y0 + by), (x1 + by, y1 + by), (x0 + by, y1 + by), (x0 + by, y0 + by)]));

    /// <summary>
    /// <paramref name="count"/> positions zigzagging up between x = 1 and x = 9, closed by an edge from the top
    /// back to the first position that crosses every zigzag edge: huge and certainly self-intersecting.
    /// </summary>
    private string Zigzag(int count)
    {
        var positions = Enumerable.Range(0, count).Select(i => (X: i % 2 == 0 ? 1.0 : 9.0, Y: 1 + (18.0 * i / count))).ToList();
        positions.Add(positions[0]);
        return Polygon(Ring(positions));
    }

    /// <summary>A valid ring of <paramref name="count"/> positions on a circle of 3.5 m inside the lot.</summary>
    private string Circle(int count)
    {
        var positions = Enumerable.Range(0, count)
            .Select(i => (X: 5 + (3.5 * Math.Cos(2 * Math.PI * i / count)), Y: 10 + (3.5 * Math.Sin(2 * Math.PI * i / count))))
            .ToList();
        positions.Add(positions[0]);
        return Polygon(Ring(positions));
    }

    /// <summary>Coordinates nested <paramref name="depth"/> arrays deep around one position.</summary>
    private string Nested(int depth)
    {
        var text = new StringBuilder("""{"type":"Polygon","coordinates":""");
        text.Append('[', depth).Append(Position(east + 1, north + 1)).Append(']', depth).Append('}');
        return text.ToString();
    }

    private string WrongType(double x0, double y0, double x1, double y1)
    {
        var coordinates = Rings(x0, y0, x1, y1);
        return random.Next(12) switch
        {
            0 => $$"""{"type":"Polygonn","coordinates":{{coordinates}}}""",
            1 => $$"""{"type":5,"coordinates":{{coordinates}}}""",
            2 => $$"""{"type":null,"coordinates":{{coordinates}}}""",
            3 => """{"type":"Polygon","coordinates":"0,0,1,0,1,1,0,0"}""",
            4 => """{"type":"Polygon","coordinates":{"x":1,"y":2}}""",
            5 => """{"type":"Polygon","coordinates":[[[true,false],[false,true],[true,true],[true,false]]]}""",
            6 => """{"type":"Polygon","coordinates":null}""",
            7 => """{"type":"Polygon"}""",
            8 => $$"""{"coordinates":{{coordinates}}}""",
            9 => string.Create(CultureInfo.InvariantCulture, $$"""{"type":"Point","coordinates":[{{east + x0:R}},{{north + y0:R}}]}"""),
            10 => $$"""{"type":"LineString","coordinates":{{Ring([(x0, y0), (x1, y1)])}}}""",
            _ => """{"type":"GeometryCollection","geometries":[]}""",
        };
    }
}
