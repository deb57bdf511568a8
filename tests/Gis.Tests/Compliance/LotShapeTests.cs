using HcmCity.Gis.Compliance;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class LotShapeTests
{
    [Fact]
    public void Frontage_and_depth_are_read_from_a_rotated_lot()
    {
        var rotate = AffineTransformation.RotationInstance(Math.PI / 6, E, N);
        var parcel = (Polygon)rotate.Transform(Rect(0, 0, 5, 20));
        var footprint = rotate.Transform(Rect(0, 0, 5, 18));

        var shape = LotShape.Of(parcel, footprint, roadSide: null, frontage: null, depth: null);

        Assert.Equal(5, shape.Frontage, 6);
        Assert.Equal(20, shape.Depth, 6);
        Assert.True(shape.FrontageDerived && shape.DepthDerived && shape.RearAssumed);
        Assert.Equal(2, footprint.Distance(parcel.Factory.CreateLineString([shape.Rear.P0, shape.Rear.P1])), 6);
    }

    [Fact]
    public void Rotated_lot_rear_setback_fails_with_the_strip_along_the_rear_edge()
    {
        var rotate = AffineTransformation.RotationInstance(Math.PI / 6, E, N);
        var parcel = new ParcelFacts(rotate.Transform(Rect(0, 0, 5, 20)), "ODT");
        var footprint = rotate.Transform(Rect(0, 0, 5, 19));

        var finding = Check(parcel, Plan(footprint))[RuleIds.RearSetback];

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(1, finding.Actual!.Value, 6);
        Assert.Equal(5, finding.Geometry!.Area, 6);
    }

    [Fact]
    public void Irregular_lot_is_measured_by_its_minimum_rectangle()
    {
        // A 6 m × 20 m lot whose rear corner is cut off by 1 m.
        var parcel = Factory.CreatePolygon(
        [
            new Coordinate(E, N), new Coordinate(E + 6, N), new Coordinate(E + 6, N + 19),
            new Coordinate(E + 5, N + 20), new Coordinate(E, N + 20), new Coordinate(E, N),
        ]);

        var shape = LotShape.Of(parcel, Rect(0, 0, 6, 15), roadSide: SouthRoad(6), frontage: null, depth: null);

        Assert.Equal(6, shape.Frontage, 6);
        Assert.Equal(20, shape.Depth, 6);
        Assert.False(shape.RearAssumed);
        Assert.Equal(N + 20, shape.Rear.P0.Y, 6);
        Assert.Equal(N + 20, shape.Rear.P1.Y, 6);
    }

    [Fact]
    public void Wide_shallow_lot_with_a_road_on_its_long_side_has_the_long_side_as_frontage()
    {
        var shape = LotShape.Of(Rect(0, 0, 20, 8), Rect(0, 0, 20, 6), roadSide: SouthRoad(20), frontage: null, depth: null);

        Assert.Equal(20, shape.Frontage, 6);
        Assert.Equal(8, shape.Depth, 6);
    }

    [Fact]
    public void Given_frontage_and_depth_win_over_measured_ones()
    {
        var shape = LotShape.Of(Rect(0, 0, 5, 20), Rect(0, 0, 5, 18), roadSide: null, frontage: 4.8, depth: 19.5);

        Assert.Equal(4.8, shape.Frontage);
        Assert.Equal(19.5, shape.Depth);
        Assert.False(shape.FrontageDerived || shape.DepthDerived);
    }
}
