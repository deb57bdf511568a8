namespace HcmCity.Gis.Compliance;

/// <summary>
/// A versioned set of site-plan thresholds, held as data (<c>*.rules.json</c>) so that a new decision replaces the
/// numbers without a release. Every section carries the clause its findings cite. A rule the set does not
/// decide (e.g. floors in a new development area, left to the detailed plan) is listed in <see cref="Deferred"/>.
/// </summary>
public sealed record RuleSet
{
    public required string Id { get; init; }

    public required string Version { get; init; }

    public required string Title { get; init; }

    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>Last day in force, inclusive; null while in force.</summary>
    public DateOnly? EffectiveTo { get; init; }

    public required AreaType AreaType { get; init; }

    /// <summary>Where the numbers come from and how sure we are of them.</summary>
    public string? Notes { get; init; }

    public required LandUseRule LandUse { get; init; }

    public required InsideParcelRule InsideParcel { get; init; }

    public required DensityRule Density { get; init; }

    public LotSizeRule? LotSize { get; init; }

    public FloorsRule? Floors { get; init; }

    public HeightRule? Height { get; init; }

    public RearSetbackRule? RearSetback { get; init; }

    public BalconyRule? Balcony { get; init; }

    public FarRule? Far { get; init; }

    /// <summary>Rules this set leaves to another instrument, by rule id.</summary>
    public IReadOnlyDictionary<string, DeferredRule> Deferred { get; init; } = new Dictionary<string, DeferredRule>();

    public bool IsInForceOn(DateOnly date) => EffectiveFrom <= date && (EffectiveTo is null || date <= EffectiveTo);

    public override string ToString() => $"{Id}@{Version}";
}

public sealed record LandUseRule
{
    /// <summary>Land-use codes on which an individual house may be built (ODT, ONT).</summary>
    public required IReadOnlyList<string> ResidentialCodes { get; init; }

    public required string Citation { get; init; }
}

public sealed record InsideParcelRule
{
    /// <summary>Area of footprint outside the parcel tolerated as digitising noise, m².</summary>
    public required double ToleranceArea { get; init; }

    public required string Citation { get; init; }
}

public sealed record LotSizeRule
{
    /// <summary>A standard buildable lot: area at least this, m².</summary>
    public required double MinArea { get; init; }

    public required double MinFrontage { get; init; }

    public required double MinDepth { get; init; }

    /// <summary>Lots larger than this are decided case by case by the authority, m².</summary>
    public required double ReviewAbove { get; init; }

    /// <summary>Roof-height caps on lots smaller than the standard.</summary>
    public required IReadOnlyList<SmallLotCap> SmallLotCaps { get; init; }

    public required string Citation { get; init; }
}

/// <summary>Lots with area below <see cref="AreaBelow"/> on a road at least <see cref="RoadWidthFrom"/> wide.</summary>
public sealed record SmallLotCap(double AreaBelow, double RoadWidthFrom, double MaxRoofHeight);

public sealed record DensityRule
{
    /// <summary>Maximum density (%) by lot area (m²), interpolated linearly; constant beyond both ends.</summary>
    public required IReadOnlyList<DensityBreakpoint> Breakpoints { get; init; }

    /// <summary>Lots larger than this are beyond the table: the authority decides.</summary>
    public double? ReviewAbove { get; init; }

    public DensityAllowance? Allowance { get; init; }

    public required string Citation { get; init; }
}

public sealed record DensityBreakpoint(double LotArea, double MaxDensity);

/// <summary>
/// A higher density another text allows for small, low houses (QCVN 01:2021/BXD §2.7.7); <see cref="Status"/> says
/// whether meeting it passes or goes to an officer when it conflicts with the set's own table.
/// </summary>
public sealed record DensityAllowance
{
    public required double MaxLotArea { get; init; }

    public required double MaxHeight { get; init; }

    public required double MaxDensity { get; init; }

    public required FindingStatus Status { get; init; }

    public required string Citation { get; init; }
}

public sealed record FloorsRule
{
    /// <summary>Rows by road width: the row with the largest <see cref="FloorsRow.RoadWidthFrom"/> not above L.</summary>
    public required IReadOnlyList<FloorsRow> ByRoadWidth { get; init; }

    public required ExtraFloorConditions ExtraFloor { get; init; }

    public required string Citation { get; init; }
}

public sealed record FloorsRow(double RoadWidthFrom, int Basic, int WithExtra);

public sealed record ExtraFloorConditions
{
    public required bool CentralWard { get; init; }

    public required bool CommercialStreet { get; init; }

    /// <summary>Below this road width a commercial-service street does not earn the extra floor.</summary>
    public required double CommercialStreetMinRoadWidth { get; init; }

    /// <summary>Frontage strictly over this earns the extra floor, m.</summary>
    public required double FrontageOver { get; init; }

    /// <summary>Never an extra floor with frontage below this, m.</summary>
    public required double MinFrontage { get; init; }

    /// <summary>The extra floor steps back this far from the building line, m.</summary>
    public required double StepBack { get; init; }
}

public sealed record HeightRule
{
    public required IReadOnlyList<HeightRow> ByRoadWidth { get; init; }

    public required string Citation { get; init; }
}

/// <summary>
/// One row of a heights table, m; null where the table has a dash. <see cref="Roof"/> applies without the extra
/// floor, <see cref="RoofWithExtra"/> with it.
/// </summary>
public sealed record HeightRow(
    double RoadWidthFrom,
    double? GroundFloor,
    double? BuildingLine,
    double? Roof,
    double? RoofWithExtra);

public sealed record RearSetbackRule
{
    /// <summary>Only lots strictly larger than this need a rear setback, m².</summary>
    public required double LotAreaOver { get; init; }

    public required IReadOnlyList<RearSetbackRow> ByDepth { get; init; }

    public required string Citation { get; init; }
}

public sealed record RearSetbackRow(double DepthFrom, double Setback);

public sealed record BalconyRule
{
    public required IReadOnlyList<BalconyRow> ByRoadWidth { get; init; }

    /// <summary>The projection stays at least this much less than the sidewalk width, m.</summary>
    public required double SidewalkMargin { get; init; }

    public required string Citation { get; init; }
}

public sealed record BalconyRow(double RoadWidthFrom, double MaxProjection);

public sealed record FarRule
{
    /// <summary>Maximum floor-area ratio (hệ số sử dụng đất).</summary>
    public required double Max { get; init; }

    public required string Citation { get; init; }
}

/// <summary>A rule the set leaves to another instrument (e.g. the detailed plan, quy hoạch chi tiết 1/500).</summary>
public sealed record DeferredRule
{
    /// <summary><see cref="FindingStatus.Review"/> or <see cref="FindingStatus.NotApplicable"/>.</summary>
    public required FindingStatus Status { get; init; }

    public required string ReasonVi { get; init; }

    public required string ReasonEn { get; init; }

    public required string Citation { get; init; }
}
