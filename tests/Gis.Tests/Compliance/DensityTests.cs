using HcmCity.Gis.Compliance;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class DensityTests
{
    [Theory]
    [InlineData(30, 100)]
    [InlineData(50, 100)]
    [InlineData(75, 95)]
    [InlineData(100, 90)]
    [InlineData(150, 80)]
    [InlineData(250, 65)]
    [InlineData(400, 55)]
    [InlineData(500, 50)]
    public void Decision_56_table_1_interpolates_linearly(double lotArea, double expected)
    {
        Assert.Equal(expected, SiteRules.Interpolate(Existing.Density.Breakpoints, lotArea), 9);
    }

    [Theory]
    [InlineData(60, 100)]
    [InlineData(90, 100)]
    [InlineData(95, 95)]
    [InlineData(100, 90)]
    [InlineData(150, 80)]
    [InlineData(750, 45)]
    [InlineData(1000, 40)]
    [InlineData(5000, 40)]
    public void QCVN_table_2_8_interpolates_linearly_and_stays_at_40_percent_past_1000_m2(double lotArea, double expected)
    {
        Assert.Equal(expected, SiteRules.Interpolate(New.Density.Breakpoints, lotArea), 9);
    }

    [Fact]
    public void Density_exactly_at_the_interpolated_limit_passes()
    {
        // 150 m² lot: limit 80 %; 10 m × 12 m footprint = 120 m² = 80 %.
        var finding = Check(Parcel(10, 15), Plan(Rect(0, 0, 10, 12)))[RuleIds.Density];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(80, finding.Actual!.Value, 6);
        Assert.Equal(80, finding.Limit!.Value, 6);
        Assert.Equal("%", finding.Unit);
    }

    [Fact]
    public void Density_over_limit_fails_with_citation()
    {
        var report = Check(Parcel(10, 15), Plan(Rect(0, 0, 10, 12.1)));

        var finding = report[RuleIds.Density];
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(80.6667, finding.Actual!.Value, 3);
        Assert.Equal(80, finding.Limit!.Value, 6);
        Assert.Equal("Decision 56/2021/QĐ-UBND, Appendix 18, Table 1", finding.Citation);
        Assert.Contains("80.67%", finding.MessageEn);
        Assert.Contains("vượt mức tối đa 80%", finding.MessageVi);
        Assert.Equal(Verdict.Fail, report.Verdict);
    }

    [Fact]
    public void Density_over_limit_returns_the_footprint_to_draw_and_a_pass_returns_none()
    {
        var fail = Check(Parcel(10, 15), Plan(Rect(0, 0, 10, 12.1)))[RuleIds.Density];
        var pass = Check(Parcel(10, 15), Plan(Rect(0, 0, 10, 12)))[RuleIds.Density];

        Assert.NotNull(fail.Geometry);
        Assert.Equal(121, fail.Geometry.Area, 6);
        Assert.Equal(9210, fail.Geometry.SRID);
        Assert.Null(pass.Geometry);
    }

    [Fact]
    public void Lot_of_exactly_100_m2_allows_90_percent_in_existing_areas()
    {
        var at = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 18)))[RuleIds.Density];

        Assert.Equal(FindingStatus.Pass, at.Status);
        Assert.Equal(90, at.Limit!.Value, 9);
    }

    [Fact]
    public void Small_low_house_over_table_1_but_within_QCVN_2_7_7_goes_to_review()
    {
        // 75 m² lot: Table 1 allows 95 %; QCVN §2.7.7 allows 100 % for houses <= 25 m on lots <= 100 m².
        var finding = Check(Parcel(5, 15), Plan(Rect(0, 0, 5, 15), height: 15))[RuleIds.Density];

        Assert.Equal(FindingStatus.Review, finding.Status);
        Assert.Equal(95, finding.Limit!.Value, 9);
        Assert.Contains("QCVN 01:2021/BXD §2.7.7", finding.Citation);
        Assert.Contains("Table 1", finding.Citation);
    }

    [Fact]
    public void QCVN_2_7_7_allowance_does_not_reach_houses_over_25_m()
    {
        var finding = Check(Parcel(5, 15), Plan(Rect(0, 0, 5, 15), height: 25.5))[RuleIds.Density];

        Assert.Equal(FindingStatus.Fail, finding.Status);
    }

    [Fact]
    public void New_area_lot_of_90_m2_may_be_fully_built()
    {
        var finding = Check(Parcel(5, 18), Plan(Rect(0, 0, 5, 18), areaType: AreaType.New))[RuleIds.Density];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(100, finding.Actual!.Value, 6);
        Assert.Equal("QCVN 01:2021/BXD, Table 2.8", finding.Citation);
    }

    [Fact]
    public void New_area_density_over_table_2_8_fails()
    {
        // 200 m² lot: 70 %; 10 m × 14.5 m = 145 m² = 72.5 %.
        var finding = Check(Parcel(10, 20), Plan(Rect(0, 0, 10, 14.5), areaType: AreaType.New))[RuleIds.Density];

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(70, finding.Limit!.Value, 9);
    }
}
