using HcmCity.Gis.Compliance;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class FloorsAndHeightTests
{
    private static ComplianceReport Row(double width, int floors, double height, double roadWidth, bool central = false, bool commercial = false, double? ground = null) =>
        Check(Parcel(width, 20), Plan(Rect(0, 0, width, 14), floors, height, roadWidth) with
        {
            CentralWard = central,
            CommercialStreet = commercial,
            GroundFloorHeight = ground,
        });

    [Theory]
    [InlineData(30, 6)]
    [InlineData(25, 6)]
    [InlineData(20, 5)]
    [InlineData(16, 5)]
    [InlineData(8, 4)]
    [InlineData(6, 4)]
    [InlineData(5, 3)]
    [InlineData(3.5, 3)]
    [InlineData(3, 3)]
    public void Basic_floors_follow_table_2_by_road_width(double roadWidth, int basic)
    {
        var at = Row(5, basic, 11, roadWidth)[RuleIds.Floors];
        var over = Row(5, basic + 1, 11, roadWidth)[RuleIds.Floors];

        Assert.Equal(FindingStatus.Pass, at.Status);
        Assert.Equal(basic, at.Limit);
        Assert.Equal(FindingStatus.Fail, over.Status);
        Assert.Equal("Decision 56/2021/QĐ-UBND, Appendix 18, Table 2", over.Citation);
    }

    [Fact]
    public void Extra_floor_in_a_central_ward_passes_with_the_step_back_condition()
    {
        var finding = Row(5, 5, 20, 8, central: true)[RuleIds.Floors];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(5, finding.Limit);
        Assert.Contains("3.5 m", finding.MessageEn);
        Assert.Contains("central ward", finding.MessageEn);
    }

    [Fact]
    public void Extra_floor_without_a_qualifying_condition_fails()
    {
        var finding = Row(5, 5, 20, 8)[RuleIds.Floors];

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(4, finding.Limit);
        Assert.Contains("no extra floor", finding.MessageEn);
    }

    [Fact]
    public void Frontage_over_8_m_earns_the_extra_floor_and_exactly_8_m_does_not()
    {
        Assert.Equal(FindingStatus.Pass, Row(8.5, 5, 20, 8)[RuleIds.Floors].Status);
        Assert.Equal(FindingStatus.Fail, Row(8, 5, 20, 8)[RuleIds.Floors].Status);
    }

    [Fact]
    public void Extra_floor_is_never_granted_below_4_m_frontage()
    {
        var narrow = Row(3.9, 5, 20, 8, central: true)[RuleIds.Floors];
        var four = Row(4, 5, 20, 8, central: true)[RuleIds.Floors];

        Assert.Equal(FindingStatus.Fail, narrow.Status);
        Assert.Contains("under 4 m", narrow.MessageEn);
        Assert.Equal(FindingStatus.Pass, four.Status);
    }

    [Fact]
    public void Commercial_street_earns_the_extra_floor_only_on_roads_of_16_m_or_more()
    {
        Assert.Equal(FindingStatus.Fail, Row(5, 5, 20, 12, commercial: true)[RuleIds.Floors].Status);
        Assert.Equal(FindingStatus.Pass, Row(5, 6, 25, 16, commercial: true)[RuleIds.Floors].Status);
    }

    [Fact]
    public void Floors_beyond_the_extra_floor_maximum_fail()
    {
        var finding = Row(5, 6, 22, 8, central: true)[RuleIds.Floors];

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(5, finding.Limit);
    }

    [Theory]
    [InlineData(8, 4, 19.0)]
    [InlineData(16, 5, 23.6)]
    [InlineData(4, 3, 13.6)]
    [InlineData(3, 3, 11.6)]
    public void Roof_height_follows_table_3_by_road_width(double roadWidth, int floors, double limit)
    {
        var at = Row(5, floors, limit, roadWidth)[RuleIds.Height];
        var over = Row(5, floors, limit + 0.05, roadWidth)[RuleIds.Height];

        Assert.Equal(FindingStatus.Pass, at.Status);
        Assert.Equal(limit, at.Limit);
        Assert.Equal(FindingStatus.Fail, over.Status);
        Assert.Equal("Decision 56/2021/QĐ-UBND, Appendix 18, Table 3", over.Citation);
    }

    [Fact]
    public void Extra_floor_uses_the_extra_floor_roof_column()
    {
        var with = Row(5, 5, 22.4, 8, central: true)[RuleIds.Height];
        var without = Row(5, 4, 22.4, 8, central: true)[RuleIds.Height];

        Assert.Equal(FindingStatus.Pass, with.Status);
        Assert.Equal(22.4, with.Limit);
        Assert.Equal(FindingStatus.Fail, without.Status);
        Assert.Equal(19.0, without.Limit);
    }

    [Fact]
    public void Road_of_25_m_uses_its_only_roof_figure()
    {
        var finding = Row(5, 6, 27, 25)[RuleIds.Height];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(27.0, finding.Limit);
    }

    [Fact]
    public void Ground_floor_over_its_limit_fails()
    {
        var over = Row(5, 4, 15, 8, ground: 6.0)[RuleIds.Height];
        var at = Row(5, 4, 15, 8, ground: 5.8)[RuleIds.Height];

        Assert.Equal(FindingStatus.Fail, over.Status);
        Assert.Contains("ground floor 6 m exceeds 5.8 m", over.MessageEn);
        Assert.Equal(FindingStatus.Pass, at.Status);
    }

    [Fact]
    public void Ground_floor_is_not_limited_where_table_3_has_a_dash()
    {
        var finding = Row(5, 3, 12, 5, ground: 6.5)[RuleIds.Height];

        Assert.Equal(FindingStatus.Pass, finding.Status);
    }
}
