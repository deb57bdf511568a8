using HcmCity.Gis.Compliance;
using NetTopologySuite.Geometries;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class SitePlanValidationTests
{
    private static ValidationError SingleError(ParcelFacts parcel, SitePlan plan)
    {
        var exception = Assert.Throws<SitePlanValidationException>(() => Check(parcel, plan));
        return Assert.Single(exception.Errors);
    }

    [Fact]
    public void Valid_input_has_no_errors()
    {
        var (parcel, plan) = Typical();

        Assert.Empty(SitePlanValidation.Validate(parcel, plan));
    }

    [Fact]
    public void Self_intersecting_footprint_is_named()
    {
        var bowtie = Factory.CreatePolygon(
        [
            new Coordinate(E, N), new Coordinate(E + 5, N + 10), new Coordinate(E + 5, N),
            new Coordinate(E, N + 10), new Coordinate(E, N),
        ]);
        var (parcel, plan) = Typical();

        var error = SingleError(parcel, plan with { Footprint = bowtie });

        Assert.Equal("footprint", error.Field);
        Assert.Contains("Invalid polygon", error.Message);
    }

    [Fact]
    public void Empty_parcel_geometry_is_named()
    {
        var (parcel, plan) = Typical();

        var error = SingleError(parcel with { Geometry = Factory.CreatePolygon() }, plan);

        Assert.Equal("parcel.geometry", error.Field);
    }

    [Fact]
    public void Non_polygon_footprint_is_named()
    {
        var (parcel, plan) = Typical();
        var line = Factory.CreateLineString([new Coordinate(E, N), new Coordinate(E + 5, N + 5)]);

        var error = SingleError(parcel, plan with { Footprint = line });

        Assert.Equal("footprint", error.Field);
        Assert.Contains("LineString", error.Message);
    }

    [Fact]
    public void Footprint_in_degrees_is_refused()
    {
        var (parcel, plan) = Typical();
        var degrees = new GeometryFactory(new PrecisionModel(), 4326).CreatePolygon(
        [
            new Coordinate(106.70, 10.77), new Coordinate(106.7001, 10.77), new Coordinate(106.7001, 10.7701),
            new Coordinate(106.70, 10.7701), new Coordinate(106.70, 10.77),
        ]);

        var errors = SitePlanValidation.Validate(parcel, plan with { Footprint = degrees });

        var error = Assert.Single(errors);
        Assert.Equal("footprint", error.Field);
        Assert.Contains("degrees", error.Message);
    }

    [Fact]
    public void Footprint_far_from_the_parcel_suggests_a_wrong_crs()
    {
        var (parcel, plan) = Typical();

        var error = SingleError(parcel, plan with { Footprint = Rect(2000, 0, 5, 18) });

        Assert.Equal("footprint", error.Field);
        Assert.Contains("another CRS", error.Message);
    }

    [Fact]
    public void Footprint_in_another_srid_than_the_parcel_is_named()
    {
        var (parcel, plan) = Typical();
        var zone107 = new GeometryFactory(new PrecisionModel(), 5899).CreatePolygon(Rect(0, 0, 5, 18).Shell.Coordinates);

        var error = SingleError(parcel, plan with { Footprint = zone107 });

        Assert.Equal("footprint", error.Field);
        Assert.Contains("EPSG:5899", error.Message);
    }

    [Fact]
    public void Nan_coordinates_are_named()
    {
        var (parcel, plan) = Typical();
        var nan = Factory.CreatePolygon(
        [
            new Coordinate(E, N), new Coordinate(double.NaN, N), new Coordinate(E + 5, N + 10), new Coordinate(E, N),
        ]);

        var error = SingleError(parcel with { Geometry = nan }, plan);

        Assert.Equal("parcel.geometry", error.Field);
    }

    public static TheoryData<string, Func<SitePlan, SitePlan>> BadNumbers => new()
    {
        { "floors", p => p with { Floors = 0 } },
        { "floors", p => p with { Floors = 101 } },
        { "height", p => p with { Height = double.NaN } },
        { "height", p => p with { Height = -3 } },
        { "height", p => p with { Height = 501 } },
        { "roadWidth", p => p with { RoadWidth = 0 } },
        { "roadWidth", p => p with { RoadWidth = double.PositiveInfinity } },
        { "groundFloorHeight", p => p with { GroundFloorHeight = -1 } },
        { "groundFloorHeight", p => p with { GroundFloorHeight = 20 } },
        { "frontage", p => p with { Frontage = 0 } },
        { "depth", p => p with { Depth = -20 } },
        { "balconyProjection", p => p with { BalconyProjection = -0.5 } },
        { "sidewalkWidth", p => p with { SidewalkWidth = double.NaN } },
        { "totalFloorArea", p => p with { TotalFloorArea = -100 } },
        { "areaType", p => p with { AreaType = (AreaType)7 } },
    };

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public void Bad_numbers_are_named_by_field(string field, Func<SitePlan, SitePlan> spoil)
    {
        var (parcel, plan) = Typical();

        var errors = SitePlanValidation.Validate(parcel, spoil(plan));

        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var (parcel, plan) = Typical();

        var exception = Assert.Throws<SitePlanValidationException>(() =>
            Check(parcel with { LandUse = " " }, plan with { Floors = -1, RoadWidth = -8 }));

        Assert.Equal(["parcel.landUse", "floors", "roadWidth"], exception.Errors.Select(e => e.Field));
        Assert.Contains("roadWidth", exception.Message);
    }

    [Fact]
    public void Road_side_must_be_a_line_or_point_near_the_parcel()
    {
        var (parcel, plan) = Typical();

        var polygon = SitePlanValidation.Validate(parcel, plan with { RoadSide = Rect(0, -5, 5, 5) });
        var far = SitePlanValidation.Validate(parcel, plan with { RoadSide = Factory.CreatePoint(new Coordinate(E + 5000, N)) });

        Assert.Equal("roadSide", Assert.Single(polygon).Field);
        Assert.Equal("roadSide", Assert.Single(far).Field);
    }
}
