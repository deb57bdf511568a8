using HcmCity.Gis.Compliance;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class RearSetbackTests
{
    [Fact]
    public void Lot_16_m_or_deeper_passes_with_exactly_2_m_at_the_rear()
    {
        var finding = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 18)))[RuleIds.RearSetback];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(2, finding.Actual!.Value, 6);
        Assert.Equal(2, finding.Limit);
    }

    [Fact]
    public void Footprint_inside_the_rear_setback_fails_and_returns_the_violating_part()
    {
        var finding = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 19), height: 15))[RuleIds.RearSetback];

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(1, finding.Actual!.Value, 6);
        Assert.Equal(2, finding.Limit);
        Assert.Equal("Decision 56/2021/QĐ-UBND, Appendix 18 (rear setback)", finding.Citation);
        Assert.NotNull(finding.Geometry);
        Assert.Equal(5, finding.Geometry.Area, 6);
        Assert.Equal(N + 18, finding.Geometry.EnvelopeInternal.MinY, 6);
        Assert.Equal(N + 19, finding.Geometry.EnvelopeInternal.MaxY, 6);
        Assert.Equal(9210, finding.Geometry.SRID);
    }

    [Fact]
    public void Lot_between_9_and_16_m_deep_needs_1_m()
    {
        var fail = Check(Parcel(5, 12), Plan(Rect(0, 0, 5, 11.5), floors: 3, height: 11))[RuleIds.RearSetback];
        var pass = Check(Parcel(5, 12), Plan(Rect(0, 0, 5, 11), floors: 3, height: 11))[RuleIds.RearSetback];

        Assert.Equal(FindingStatus.Fail, fail.Status);
        Assert.Equal(1, fail.Limit);
        Assert.Equal(2.5, fail.Geometry!.Area, 6);
        Assert.Equal(FindingStatus.Pass, pass.Status);
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(15.99, 1)]
    [InlineData(9, 1)]
    public void Required_setback_steps_at_depths_of_9_and_16_m(double depth, double required)
    {
        var finding = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 17.5)) with { Depth = depth })[RuleIds.RearSetback];

        Assert.Equal(required, finding.Limit);
    }

    [Fact]
    public void Lot_shallower_than_9_m_needs_no_rear_setback()
    {
        var finding = Check(Parcel(7, 8), Plan(Rect(0, 0, 7, 8), floors: 3, height: 11))[RuleIds.RearSetback];

        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
        Assert.Null(finding.Geometry);
    }

    [Fact]
    public void Lot_of_50_m2_or_less_needs_no_rear_setback()
    {
        var finding = Check(Parcel(5, 10), Plan(Rect(0, 0, 5, 10), floors: 3, height: 11))[RuleIds.RearSetback];

        Assert.Equal(FindingStatus.NotApplicable, finding.Status);
    }

    [Fact]
    public void Road_side_decides_which_short_side_is_the_rear()
    {
        // House built against the north side with a 2 m yard on the south side.
        var parcel = Parcel(5, 20);
        var plan = Plan(Rect(0, 2, 5, 18));

        var assumed = Check(parcel, plan)[RuleIds.RearSetback];
        var roadSouth = Check(parcel, plan with { RoadSide = SouthRoad(5) })[RuleIds.RearSetback];

        Assert.Equal(FindingStatus.Pass, assumed.Status);
        Assert.Contains("no road side given", assumed.MessageEn);
        Assert.Equal(FindingStatus.Fail, roadSouth.Status);
        Assert.Equal(0, roadSouth.Actual!.Value, 6);
        Assert.Equal(N + 18, roadSouth.Geometry!.EnvelopeInternal.MinY, 6);
        Assert.Equal(N + 20, roadSouth.Geometry.EnvelopeInternal.MaxY, 6);
    }
}
