using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Compliance;

/// <summary>
/// Checks the site plan of an individual house against its parcel and a versioned <see cref="RuleSet"/>
/// (kiểm tra tổng mặt bằng). Pure: no I/O, no shared state; safe to call from any thread.
/// </summary>
public static class SitePlanChecker
{
    /// <summary>
    /// One finding per rule in <see cref="RuleIds.All"/> order, and the verdict over them.
    /// </summary>
    /// <exception cref="SitePlanValidationException">The input cannot be measured; each error names its field.</exception>
    public static ComplianceReport Check(ParcelFacts parcel, SitePlan plan, RuleSet rules)
    {
        SitePlanValidation.ThrowIfInvalid(parcel, plan);
        return CheckValid(parcel, plan, rules);
    }

    /// <summary>
    /// Checks against the rule set in force on <paramref name="date"/> for the plan's area type (usually the date the
    /// dossier was complete).
    /// </summary>
    /// <exception cref="SitePlanValidationException">The input cannot be measured; each error names its field.</exception>
    /// <exception cref="KeyNotFoundException">No rule set for the area type is in force on that date.</exception>
    public static ComplianceReport Check(ParcelFacts parcel, SitePlan plan, RuleSetCatalog catalog, DateOnly date)
    {
        SitePlanValidation.ThrowIfInvalid(parcel, plan);
        return CheckValid(parcel, plan, catalog.Select(plan.AreaType, date));
    }

    private static ComplianceReport CheckValid(ParcelFacts parcel, SitePlan plan, RuleSet rules)
    {
        if (plan.AreaType != rules.AreaType)
        {
            throw new SitePlanValidationException(
            [
                new ValidationError("areaType",
                    $"The plan is for {Name(plan.AreaType)} areas but rule set {rules} is for {Name(rules.AreaType)} areas."),
            ]);
        }

        var context = CheckContext.Create(parcel, plan, rules);
        Finding[] findings =
        [
            SiteRules.LandUse(context),
            SiteRules.LotSize(context),
            SiteRules.InsideParcel(context),
            SiteRules.Density(context),
            SiteRules.Floors(context),
            SiteRules.Height(context),
            SiteRules.RearSetback(context),
            SiteRules.Balcony(context),
            SiteRules.Far(context),
        ];

        return new ComplianceReport(ComplianceReport.VerdictOf(findings), rules.Id, rules.Version, findings);
    }

    private static string Name(AreaType areaType) => areaType == AreaType.Existing ? "existing" : "new";
}

/// <summary>What every rule measures, computed once per check.</summary>
internal sealed class CheckContext
{
    private CheckContext(ParcelFacts facts, Polygon parcel, Polygon footprint, SitePlan plan, RuleSet rules, LotShape shape)
    {
        Facts = facts;
        Parcel = parcel;
        Footprint = footprint;
        Plan = plan;
        Rules = rules;
        Shape = shape;
        LotArea = parcel.Area;
        FootprintArea = footprint.Area;
    }

    public ParcelFacts Facts { get; }

    public Polygon Parcel { get; }

    public Polygon Footprint { get; }

    public SitePlan Plan { get; }

    public RuleSet Rules { get; }

    public LotShape Shape { get; }

    public double LotArea { get; }

    public double FootprintArea { get; }

    public static CheckContext Create(ParcelFacts facts, SitePlan plan, RuleSet rules)
    {
        var parcel = SitePlanValidation.AsPolygon(facts.Geometry)
            ?? throw new ArgumentException("Parcel geometry must be a polygon.", nameof(facts));
        var footprint = (Polygon)plan.Footprint;
        var shape = LotShape.Of(parcel, footprint, plan.RoadSide, plan.Frontage, plan.Depth);
        return new CheckContext(facts, parcel, footprint, plan, rules, shape);
    }
}
