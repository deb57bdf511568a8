using HcmCity.Gis.Compliance;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class BalconyAndFarTests
{
    private static Finding Balcony(double roadWidth, double? projection, double? sidewalk) =>
        Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 18), floors: 3, height: 11, roadWidth: roadWidth) with
        {
            BalconyProjection = projection,
            SidewalkWidth = sidewalk,
        })[RuleIds.Balcony];

    [Fact]
    public void No_balcony_is_not_applicable()
    {
        Assert.Equal(FindingStatus.NotApplicable, Balcony(12, null, 3).Status);
    }

    [Theory]
    [InlineData(7, 0.9)]
    [InlineData(11.9, 0.9)]
    [InlineData(12, 1.2)]
    [InlineData(20, 1.4)]
    public void Balcony_at_the_road_width_limit_passes_and_beyond_it_fails(double roadWidth, double limit)
    {
        var at = Balcony(roadWidth, limit, 5);
        var over = Balcony(roadWidth, limit + 0.05, 5);

        Assert.Equal(FindingStatus.Pass, at.Status);
        Assert.Equal(limit, at.Limit);
        Assert.Equal(FindingStatus.Fail, over.Status);
        Assert.Equal("Decision 56/2021/QĐ-UBND, Appendix 18 (balconies over the road boundary)", over.Citation);
    }

    [Fact]
    public void Balcony_on_a_road_under_7_m_fails()
    {
        var finding = Balcony(6.9, 0.3, 3);

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(0, finding.Limit);
    }

    [Fact]
    public void Balcony_stays_1_m_inside_the_sidewalk()
    {
        var finding = Balcony(20, 1.2, 2);

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(1.0, finding.Limit!.Value, 9);
        Assert.Contains("sidewalk 2 m", finding.MessageEn);
    }

    [Fact]
    public void Balcony_without_a_sidewalk_width_goes_to_review()
    {
        var finding = Balcony(12, 1.0, null);

        Assert.Equal(FindingStatus.Review, finding.Status);
        Assert.Contains("sidewalk", finding.MessageEn);
    }

    [Fact]
    public void Floor_area_ratio_of_7_passes_and_above_fails()
    {
        var at = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 18)) with { TotalFloorArea = 700 })[RuleIds.Far];
        var over = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 18)) with { TotalFloorArea = 750 })[RuleIds.Far];

        Assert.Equal(FindingStatus.Pass, at.Status);
        Assert.Equal(7, at.Actual!.Value, 9);
        Assert.Equal(FindingStatus.Fail, over.Status);
        Assert.Equal(7.5, over.Actual!.Value, 9);
        Assert.Equal(7, over.Limit);
        Assert.StartsWith("QCVN 01:2021/BXD", over.Citation);
        Assert.DoesNotContain("estimated", over.MessageEn);
    }

    [Fact]
    public void Floor_area_ratio_is_estimated_from_footprint_times_floors_and_says_so()
    {
        var finding = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 18), floors: 4))[RuleIds.Far];

        Assert.Equal(3.6, finding.Actual!.Value, 9);
        Assert.Contains("estimated", finding.MessageEn);
        Assert.Contains("ước tính", finding.MessageVi);
    }
}
