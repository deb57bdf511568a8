using HcmCity.Gis.Compliance;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

public sealed class SitePlanCheckerTests
{
    [Fact]
    public void Typical_row_house_passes_every_rule_and_names_its_rule_set()
    {
        var (parcel, plan) = Typical();

        var report = Check(parcel, plan);

        Assert.Equal(Verdict.Pass, report.Verdict);
        Assert.Equal("hcmc-56-2021", report.RuleSetId);
        Assert.Equal("1", report.RuleSetVersion);
        Assert.Equal(RuleIds.All, report.Findings.Select(f => f.Rule));
        Assert.All(report.Findings, f => Assert.Contains(f.Status, new[] { FindingStatus.Pass, FindingStatus.NotApplicable }));
        Assert.All(report.Findings, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Citation));
            Assert.False(string.IsNullOrWhiteSpace(f.MessageVi));
            Assert.False(string.IsNullOrWhiteSpace(f.MessageEn));
        });
    }

    [Fact]
    public void Check_does_not_change_its_inputs()
    {
        var (parcel, plan) = Typical();
        var parcelWkt = parcel.Geometry.AsText();
        var footprintWkt = plan.Footprint.AsText();

        Check(parcel, plan);

        Assert.Equal(parcelWkt, parcel.Geometry.AsText());
        Assert.Equal(footprintWkt, plan.Footprint.AsText());
    }

    [Theory]
    [InlineData("ODT")]
    [InlineData("ONT")]
    [InlineData("ONT+CLN")]
    [InlineData("cln, odt")]
    public void Residential_land_use_passes_including_compound_codes(string landUse)
    {
        var (_, plan) = Typical();

        var finding = Check(Parcel(5, 20, landUse), plan)[RuleIds.LandUse];

        Assert.Equal(FindingStatus.Pass, finding.Status);
    }

    [Theory]
    [InlineData("CLN")]
    [InlineData("TMD+SKC")]
    [InlineData("LUC")]
    public void Non_residential_land_fails_with_Law_135_citation(string landUse)
    {
        var (_, plan) = Typical();

        var report = Check(Parcel(5, 20, landUse), plan);

        var finding = report[RuleIds.LandUse];
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("Law 135/2025/QH15 Art. 48(3)", finding.Citation);
        Assert.Contains("không phải đất ở", finding.MessageVi);
        Assert.Contains("not residential", finding.MessageEn);
        Assert.Equal(Verdict.Fail, report.Verdict);
    }

    [Fact]
    public void Footprint_outside_the_parcel_fails_and_returns_the_part_outside()
    {
        var parcel = Parcel(5, 20);
        var plan = Plan(Rect(0, 0, 6, 10));

        var finding = Check(parcel, plan)[RuleIds.InsideParcel];

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal(10, finding.Actual!.Value, 6);
        Assert.NotNull(finding.Geometry);
        Assert.Equal(10, finding.Geometry.Area, 6);
        Assert.Equal(9210, finding.Geometry.SRID);
        Assert.Equal(E + 5, finding.Geometry.EnvelopeInternal.MinX, 6);
        Assert.Equal(E + 6, finding.Geometry.EnvelopeInternal.MaxX, 6);
    }

    [Fact]
    public void Footprint_on_the_parcel_boundary_is_inside()
    {
        var finding = Check(Parcel(5, 20), Plan(Rect(0, 0, 5, 18)))[RuleIds.InsideParcel];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Null(finding.Geometry);
    }

    [Fact]
    public void Digitising_noise_within_tolerance_is_inside()
    {
        // 0.5 mm past the side over 10 m: 0.005 m², under the 0.01 m² tolerance.
        var finding = Check(Parcel(5, 20), Plan(Rect(0, 0, 5.0005, 10)))[RuleIds.InsideParcel];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(0.005, finding.Actual!.Value, 4);
    }

    [Fact]
    public void Lot_of_36_m2_with_3_m_frontage_and_depth_is_buildable()
    {
        var finding = Check(Parcel(3, 12), Plan(Rect(0, 0, 3, 12), floors: 3, height: 11))[RuleIds.LotSize];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(36, finding.Actual!.Value, 6);
        Assert.Equal(36, finding.Limit);
    }

    [Fact]
    public void Lot_under_15_m2_caps_the_roof_at_7_m()
    {
        var parcel = Parcel(3, 4.5);

        var low = Check(parcel, Plan(Rect(0, 0, 3, 4.5), floors: 2, height: 7));
        var high = Check(parcel, Plan(Rect(0, 0, 3, 4.5), floors: 2, height: 7.5));

        Assert.Equal(FindingStatus.Pass, low[RuleIds.LotSize].Status);
        Assert.Contains("7 m", low[RuleIds.LotSize].MessageEn);
        Assert.Equal(FindingStatus.Pass, low[RuleIds.Height].Status);
        Assert.Equal(FindingStatus.Fail, high[RuleIds.Height].Status);
        Assert.Equal(7, high[RuleIds.Height].Limit);
        Assert.Contains("Appendix 18 (buildable lot size)", high[RuleIds.Height].Citation);
    }

    [Theory]
    [InlineData(6, 13.6)]
    [InlineData(5.99, 11.6)]
    [InlineData(12, 13.6)]
    public void Lot_between_15_and_36_m2_caps_the_roof_by_road_width(double roadWidth, double cap)
    {
        var parcel = Parcel(4, 7);

        var finding = Check(parcel, Plan(Rect(0, 0, 4, 7), floors: 3, height: cap, roadWidth: roadWidth))[RuleIds.Height];
        var over = Check(parcel, Plan(Rect(0, 0, 4, 7), floors: 3, height: cap + 0.1, roadWidth: roadWidth))[RuleIds.Height];

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal(cap, finding.Limit);
        Assert.Equal(FindingStatus.Fail, over.Status);
    }

    [Fact]
    public void Lot_over_500_m2_goes_to_review_never_a_guess()
    {
        var report = Check(Parcel(20, 30), Plan(Rect(0, 0, 20, 20)));

        Assert.Equal(FindingStatus.Review, report[RuleIds.LotSize].Status);
        Assert.Equal(FindingStatus.Review, report[RuleIds.Density].Status);
        Assert.Null(report[RuleIds.Density].Limit);
        Assert.Equal(Verdict.Review, report.Verdict);
    }

    [Fact]
    public void Lot_narrower_than_3_m_goes_to_review()
    {
        var finding = Check(Parcel(2.5, 20), Plan(Rect(0, 0, 2.5, 18), floors: 3, height: 11))[RuleIds.LotSize];

        Assert.Equal(FindingStatus.Review, finding.Status);
    }

    [Fact]
    public void Derived_frontage_and_depth_are_said_so_given_ones_are_not()
    {
        var (parcel, plan) = Typical();

        var derived = Check(parcel, plan)[RuleIds.LotSize];
        var given = Check(parcel, plan with { Frontage = 5, Depth = 20 })[RuleIds.LotSize];

        Assert.Contains("minimum-area bounding rectangle", derived.MessageEn);
        Assert.Contains("hình chữ nhật bao nhỏ nhất", derived.MessageVi);
        Assert.DoesNotContain("bounding rectangle", given.MessageEn);
    }

    [Fact]
    public void Single_part_multipolygon_parcel_is_checked_like_its_polygon()
    {
        var (parcel, plan) = Typical();
        var multi = parcel with { Geometry = Factory.CreateMultiPolygon([Rect(0, 0, 5, 20)]) };

        var report = Check(multi, plan);

        Assert.Equal(Verdict.Pass, report.Verdict);
    }

    [Fact]
    public void New_area_leaves_floors_height_and_setbacks_to_the_detailed_plan()
    {
        var (parcel, plan) = Typical();

        var report = Check(parcel, plan with { AreaType = AreaType.New, BalconyProjection = 0.5 });

        Assert.Equal("qcvn-01-2021", report.RuleSetId);
        Assert.Equal(FindingStatus.Review, report[RuleIds.Floors].Status);
        Assert.Equal(FindingStatus.Review, report[RuleIds.Height].Status);
        Assert.Equal(FindingStatus.Review, report[RuleIds.Balcony].Status);
        Assert.Equal(FindingStatus.NotApplicable, report[RuleIds.LotSize].Status);
        Assert.Equal(FindingStatus.NotApplicable, report[RuleIds.RearSetback].Status);
        Assert.Contains("detailed plan", report[RuleIds.Floors].MessageEn);
        Assert.Contains("quy hoạch chi tiết", report[RuleIds.Floors].MessageVi);
        Assert.Equal(Verdict.Review, report.Verdict);
    }

    [Fact]
    public void Check_on_a_date_uses_the_rule_set_for_the_plans_area_type()
    {
        var (parcel, plan) = Typical();

        var existing = SitePlanChecker.Check(parcel, plan, Catalog, Today);
        var fresh = SitePlanChecker.Check(parcel, plan with { AreaType = AreaType.New }, Catalog, Today);

        Assert.Equal("hcmc-56-2021", existing.RuleSetId);
        Assert.Equal("qcvn-01-2021", fresh.RuleSetId);
        Assert.Throws<KeyNotFoundException>(() => SitePlanChecker.Check(parcel, plan, Catalog, new DateOnly(2019, 1, 1)));
    }

    [Fact]
    public void Plan_for_another_area_type_than_the_rule_set_is_rejected()
    {
        var (parcel, plan) = Typical();

        var error = Assert.Throws<SitePlanValidationException>(() => SitePlanChecker.Check(parcel, plan, New));

        Assert.Equal("areaType", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void Verdict_is_fail_if_any_fails_else_review_if_any_review_else_pass()
    {
        static Finding F(FindingStatus status) => new("x", status, null, null, "", "vi", "en", "c");

        Assert.Equal(Verdict.Fail, ComplianceReport.VerdictOf([F(FindingStatus.Review), F(FindingStatus.Fail), F(FindingStatus.Pass)]));
        Assert.Equal(Verdict.Review, ComplianceReport.VerdictOf([F(FindingStatus.Pass), F(FindingStatus.Review), F(FindingStatus.NotApplicable)]));
        Assert.Equal(Verdict.Pass, ComplianceReport.VerdictOf([F(FindingStatus.Pass), F(FindingStatus.NotApplicable)]));
    }
}
