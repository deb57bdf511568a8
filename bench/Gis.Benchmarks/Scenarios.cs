using HcmCity.Gis.Compliance;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Benchmarks;

/// <summary>Site plans in EPSG:9210 near E 604,500 N 1,191,000, generated in code.</summary>
public static class Scenarios
{
    private const double E = 604_500;
    private const double N = 1_191_000;

    private static readonly GeometryFactory Factory = NtsGeometryServices.Instance.CreateGeometryFactory(9210);

    public static RuleSet Existing { get; } =
        RuleSetCatalog.Embedded().Select(AreaType.Existing, new DateOnly(2026, 7, 1));

    /// <summary>A 5 m × 20 m ODT lot, 4 floors on an 8 m road, everything within limits.</summary>
    public static (ParcelFacts Parcel, SitePlan Plan) TypicalLot() =>
        (new ParcelFacts(Rect(0, 0, 5, 20), "ODT"), Plan(Rect(0, 0, 5, 18)));

    /// <summary>The same lot surveyed as a 500-vertex boundary (a few cm of wobble, as digitised maps have).</summary>
    public static (ParcelFacts Parcel, SitePlan Plan) Parcel500Vertices() =>
        (new ParcelFacts(Wobbly(5, 20, 500), "ODT"), Plan(Rect(0.1, 0.1, 4.8, 17.8)));

    /// <summary>A footprint past the side and into the rear setback: the checker computes violation geometry.</summary>
    public static (ParcelFacts Parcel, SitePlan Plan) FailingLot() =>
        (new ParcelFacts(Rect(0, 0, 5, 20), "ODT"), Plan(Rect(0, 0, 5.5, 19.5)) with { Floors = 6, BalconyProjection = 1.2 });

    private static SitePlan Plan(Polygon footprint) => new()
    {
        Footprint = footprint,
        Floors = 4,
        Height = 15,
        GroundFloorHeight = 4.5,
        RoadWidth = 8,
        AreaType = AreaType.Existing,
        SidewalkWidth = 3,
        RoadSide = Factory.CreateLineString([new Coordinate(E - 10, N), new Coordinate(E + 15, N)]),
    };

    private static Polygon Rect(double x, double y, double width, double depth) => Factory.CreatePolygon(
    [
        new Coordinate(E + x, N + y),
        new Coordinate(E + x + width, N + y),
        new Coordinate(E + x + width, N + y + depth),
        new Coordinate(E + x, N + y + depth),
        new Coordinate(E + x, N + y),
    ]);

    private static Polygon Wobbly(double width, double depth, int vertices)
    {
        var perimeter = 2 * (width + depth);
        var coordinates = new Coordinate[vertices + 1];
        for (var i = 0; i < vertices; i++)
        {
            var s = perimeter * i / vertices;
            var wobble = 0.03 * Math.Sin(i * 0.7);
            coordinates[i] = s switch
            {
                _ when s < width => new Coordinate(E + s, N - wobble),
                _ when s < width + depth => new Coordinate(E + width + wobble, N + s - width),
                _ when s < 2 * width + depth => new Coordinate(E + width - (s - width - depth), N + depth + wobble),
                _ => new Coordinate(E - wobble, N + depth - (s - 2 * width - depth)),
            };
        }

        coordinates[vertices] = coordinates[0].Copy();
        return Factory.CreatePolygon(coordinates);
    }
}
