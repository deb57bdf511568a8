using HcmCity.Gis.Compliance;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Tests.Compliance;

/// <summary>
/// Fixtures in EPSG:9210 (VN-2000 / TM-3 105-45) near E 604,500 N 1,191,000 (District 1). Lots face a road on
/// their south side (y = 0): x runs along the frontage, y away from the road into the depth.
/// </summary>
internal static class Lots
{
    public const double E = 604_500;
    public const double N = 1_191_000;

    public static readonly GeometryFactory Factory = NtsGeometryServices.Instance.CreateGeometryFactory(9210);

    public static readonly DateOnly Today = new(2026, 7, 1);

    public static readonly RuleSetCatalog Catalog = RuleSetCatalog.Embedded();

    public static RuleSet Existing => Catalog.Select(AreaType.Existing, Today);

    public static RuleSet New => Catalog.Select(AreaType.New, Today);

    /// <summary>Axis-aligned rectangle with its south-west corner at (E + x, N + y).</summary>
    public static Polygon Rect(double x, double y, double width, double depth) =>
        Factory.CreatePolygon(
        [
            new Coordinate(E + x, N + y),
            new Coordinate(E + x + width, N + y),
            new Coordinate(E + x + width, N + y + depth),
            new Coordinate(E + x, N + y + depth),
            new Coordinate(E + x, N + y),
        ]);

    public static ParcelFacts Parcel(double width, double depth, string landUse = "ODT") =>
        new(Rect(0, 0, width, depth), landUse);

    /// <summary>The road boundary along the lot's south side.</summary>
    public static LineString SouthRoad(double width) =>
        Factory.CreateLineString([new Coordinate(E - 10, N), new Coordinate(E + width + 10, N)]);

    public static SitePlan Plan(
        Geometry footprint,
        int floors = 4,
        double height = 15,
        double roadWidth = 8,
        AreaType areaType = AreaType.Existing) => new()
        {
            Footprint = footprint,
            Floors = floors,
            Height = height,
            RoadWidth = roadWidth,
            AreaType = areaType,
        };

    /// <summary>A 5 m × 20 m ODT lot with a 5 m × 18 m, 4-floor, 15 m house on an 8 m road: passes every rule.</summary>
    public static (ParcelFacts Parcel, SitePlan Plan) Typical() =>
        (Parcel(5, 20), Plan(Rect(0, 0, 5, 18)));

    public static ComplianceReport Check(ParcelFacts parcel, SitePlan plan) =>
        SitePlanChecker.Check(parcel, plan, plan.AreaType == AreaType.Existing ? Existing : New);
}
