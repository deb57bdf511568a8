using System.Globalization;
using HcmCity.Gis.Parcels;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace HcmCity.Gis.Compliance;

/// <summary>
/// One function per rule id. Thresholds come from the rule set; this holds only the logic of applying them.
/// Messages use invariant number formatting so that both languages show the same figures.
/// </summary>
internal static class SiteRules
{
    /// <summary>Slack for comparing computed areas and lengths with table values (floating-point noise only).</summary>
    private const double Epsilon = 1e-6;

    private const string DerivedVi = " Chiều rộng và chiều sâu suy ra từ hình chữ nhật bao nhỏ nhất của thửa đất.";
    private const string DerivedEn = " Frontage and depth were derived from the parcel's minimum-area bounding rectangle.";

    public static Finding LandUse(CheckContext c)
    {
        var rule = c.Rules.LandUse;
        var codes = string.Join("+", LandUseCodes.Split(c.Facts.LandUse));
        // A compound code such as ONT+CLN counts when any part is residential.
        var residential = LandUseCodes.Split(c.Facts.LandUse).Any(code => rule.ResidentialCodes.Contains(code, StringComparer.OrdinalIgnoreCase));
        var allowed = string.Join("/", rule.ResidentialCodes);
        return residential
            ? new Finding(RuleIds.LandUse, FindingStatus.Pass, null, null, "",
                $"Đất ở ({codes}): được xây dựng nhà ở riêng lẻ.",
                $"Residential land ({codes}): an individual house may be built.",
                rule.Citation)
            : new Finding(RuleIds.LandUse, FindingStatus.Fail, null, null, "",
                $"Loại đất {codes} không phải đất ở ({allowed}): không được xây dựng nhà ở riêng lẻ.",
                $"Land use {codes} is not residential ({allowed}): an individual house may not be built.",
                rule.Citation);
    }

    public static Finding LotSize(CheckContext c)
    {
        if (c.Rules.LotSize is not { } rule)
        {
            return Deferred(c, RuleIds.LotSize, c.LotArea, "m²");
        }

        var area = c.LotArea;
        var frontage = c.Shape.Frontage;
        var depth = c.Shape.Depth;
        var (noteVi, noteEn) = c.Shape.FrontageDerived || c.Shape.DepthDerived ? (DerivedVi, DerivedEn) : ("", "");
        var sizeVi = $"Lô đất {F(area)} m², rộng {F(frontage)} m, sâu {F(depth)} m";
        var sizeEn = $"Lot of {F(area)} m², {F(frontage)} m wide, {F(depth)} m deep";

        if (area > rule.ReviewAbove)
        {
            return new Finding(RuleIds.LotSize, FindingStatus.Review, area, rule.ReviewAbove, "m²",
                $"{sizeVi}: trên {F(rule.ReviewAbove)} m², cơ quan cấp phép xem xét từng trường hợp.{noteVi}",
                $"{sizeEn}: over {F(rule.ReviewAbove)} m², decided case by case by the authority.{noteEn}",
                rule.Citation);
        }

        if (frontage < rule.MinFrontage - Epsilon || depth < rule.MinDepth - Epsilon)
        {
            // The table defines a standard lot by its 3 m minima and says nothing of narrower ones.
            return new Finding(RuleIds.LotSize, FindingStatus.Review, area, rule.MinArea, "m²",
                $"{sizeVi}: chiều rộng hoặc chiều sâu dưới {F(rule.MinFrontage)} m, ngoài bảng quy định; cơ quan cấp phép xem xét.{noteVi}",
                $"{sizeEn}: frontage or depth under {F(rule.MinFrontage)} m is outside the table; the authority decides.{noteEn}",
                rule.Citation);
        }

        if (area >= rule.MinArea - Epsilon)
        {
            return new Finding(RuleIds.LotSize, FindingStatus.Pass, area, rule.MinArea, "m²",
                $"{sizeVi}: đủ điều kiện xây dựng (≥ {F(rule.MinArea)} m²).{noteVi}",
                $"{sizeEn}: a buildable lot (≥ {F(rule.MinArea)} m²).{noteEn}",
                rule.Citation);
        }

        var (capVi, capEn) = SmallLotCap(rule, area, c.Plan.RoadWidth) is { } cap
            ? ($" với đỉnh mái ≤ {F(cap)} m (xem mục chiều cao)", $" with the roof at most {F(cap)} m (see height)")
            : ("", "");
        return new Finding(RuleIds.LotSize, FindingStatus.Pass, area, rule.MinArea, "m²",
            $"{sizeVi}: dưới {F(rule.MinArea)} m², được xây dựng{capVi}.{noteVi}",
            $"{sizeEn}: under {F(rule.MinArea)} m², buildable{capEn}.{noteEn}",
            rule.Citation);
    }

    public static Finding InsideParcel(CheckContext c)
    {
        var rule = c.Rules.InsideParcel;
        if (PreparedGeometryFactory.Prepare(c.Parcel).Contains(c.Footprint))
        {
            return new Finding(RuleIds.InsideParcel, FindingStatus.Pass, 0, 0, "m²",
                "Công trình nằm trong ranh thửa đất.",
                "The footprint lies within the parcel.",
                rule.Citation);
        }

        var outside = OverlayNGRobust.Overlay(c.Footprint, c.Parcel, SpatialFunction.Difference);
        var area = outside.Area;
        if (area <= rule.ToleranceArea)
        {
            return new Finding(RuleIds.InsideParcel, FindingStatus.Pass, area, 0, "m²",
                $"Công trình nằm trong ranh thửa đất (sai lệch {F(area, "0.####")} m² trong dung sai {F(rule.ToleranceArea)} m²).",
                $"The footprint lies within the parcel (deviation {F(area, "0.####")} m² within the {F(rule.ToleranceArea)} m² tolerance).",
                rule.Citation);
        }

        return new Finding(RuleIds.InsideParcel, FindingStatus.Fail, area, 0, "m²",
            $"{F(area)} m² diện tích xây dựng nằm ngoài ranh thửa đất.",
            $"{F(area)} m² of the footprint lies outside the parcel.",
            rule.Citation,
            outside);
    }

    public static Finding Density(CheckContext c)
    {
        var rule = c.Rules.Density;
        var actual = c.FootprintArea / c.LotArea * 100;
        var lot = c.LotArea;
        if (rule.ReviewAbove is { } above && lot > above)
        {
            return new Finding(RuleIds.Density, FindingStatus.Review, actual, null, "%",
                $"Mật độ xây dựng {F(actual)}%: lô {F(lot)} m² vượt quá bảng (đến {F(above)} m²); cơ quan cấp phép xem xét.",
                $"Building density {F(actual)}%: the {F(lot)} m² lot is beyond the table (up to {F(above)} m²); the authority decides.",
                rule.Citation);
        }

        var limit = Interpolate(rule.Breakpoints, lot);
        if (actual <= limit + Epsilon)
        {
            return new Finding(RuleIds.Density, FindingStatus.Pass, actual, limit, "%",
                $"Mật độ xây dựng {F(actual)}% ≤ {F(limit)}% cho lô {F(lot)} m².",
                $"Building density {F(actual)}% is within {F(limit)}% for a {F(lot)} m² lot.",
                rule.Citation);
        }

        if (rule.Allowance is { } allowance
            && lot <= allowance.MaxLotArea + Epsilon
            && c.Plan.Height <= allowance.MaxHeight + Epsilon
            && actual <= allowance.MaxDensity + Epsilon)
        {
            return new Finding(RuleIds.Density, allowance.Status, actual, limit, "%",
                $"Mật độ xây dựng {F(actual)}% vượt {F(limit)}% của bảng, nhưng nhà cao ≤ {F(allowance.MaxHeight)} m trên lô ≤ {F(allowance.MaxLotArea)} m² được đến {F(allowance.MaxDensity)}% theo {allowance.Citation}.",
                $"Building density {F(actual)}% exceeds the table's {F(limit)}%, but a house ≤ {F(allowance.MaxHeight)} m on a lot ≤ {F(allowance.MaxLotArea)} m² may reach {F(allowance.MaxDensity)}% under {allowance.Citation}.",
                $"{rule.Citation}; {allowance.Citation}");
        }

        return new Finding(RuleIds.Density, FindingStatus.Fail, actual, limit, "%",
            $"Mật độ xây dựng {F(actual)}% vượt mức tối đa {F(limit)}% cho lô {F(lot)} m².",
            $"Building density {F(actual)}% exceeds the {F(limit)}% maximum for a {F(lot)} m² lot.",
            rule.Citation,
            c.Footprint);
    }

    public static Finding Floors(CheckContext c)
    {
        if (c.Rules.Floors is not { } rule)
        {
            return Deferred(c, RuleIds.Floors, c.Plan.Floors, "floors");
        }

        var row = Band(rule.ByRoadWidth, c.Plan.RoadWidth, r => r.RoadWidthFrom);
        var floors = c.Plan.Floors;
        var road = $"lộ giới {F(c.Plan.RoadWidth)} m";
        var roadEn = $"road width {F(c.Plan.RoadWidth)} m";
        if (floors <= row.Basic)
        {
            return new Finding(RuleIds.Floors, FindingStatus.Pass, floors, row.Basic, "floors",
                $"{floors} tầng ≤ {row.Basic} tầng cơ bản ({road}).",
                $"{floors} floors within the basic {row.Basic} ({roadEn}).",
                rule.Citation);
        }

        var extra = ExtraFloor(rule, c);
        if (row.WithExtra > row.Basic && floors <= row.WithExtra && extra.Allowed)
        {
            return new Finding(RuleIds.Floors, FindingStatus.Pass, floors, row.WithExtra, "floors",
                $"{floors} tầng gồm 1 tầng cộng thêm ({road}; {extra.ReasonVi}); tầng cộng thêm lùi ≥ {F(rule.ExtraFloor.StepBack)} m so với chỉ giới xây dựng.",
                $"{floors} floors including the extra floor ({roadEn}; {extra.ReasonEn}); the extra floor steps back ≥ {F(rule.ExtraFloor.StepBack)} m from the building line.",
                rule.Citation);
        }

        if (row.WithExtra > row.Basic && floors <= row.WithExtra)
        {
            return new Finding(RuleIds.Floors, FindingStatus.Fail, floors, row.Basic, "floors",
                $"{floors} tầng vượt {row.Basic} tầng cơ bản ({road}); không đủ điều kiện tầng cộng thêm: {extra.ReasonVi}.",
                $"{floors} floors exceed the basic {row.Basic} ({roadEn}); no extra floor: {extra.ReasonEn}.",
                rule.Citation);
        }

        var limit = extra.Allowed ? row.WithExtra : row.Basic;
        return new Finding(RuleIds.Floors, FindingStatus.Fail, floors, limit, "floors",
            $"{floors} tầng vượt tối đa {limit} tầng ({road}).",
            $"{floors} floors exceed the maximum of {limit} ({roadEn}).",
            rule.Citation);
    }

    public static Finding Height(CheckContext c)
    {
        if (c.Rules.Height is not { } rule)
        {
            return Deferred(c, RuleIds.Height, c.Plan.Height, "m");
        }

        var row = Band(rule.ByRoadWidth, c.Plan.RoadWidth, r => r.RoadWidthFrom);
        var floorsRule = c.Rules.Floors;
        var floorsRow = floorsRule is null ? null : Band(floorsRule.ByRoadWidth, c.Plan.RoadWidth, r => r.RoadWidthFrom);
        var extraUsed = floorsRule is not null && floorsRow is not null
            && c.Plan.Floors > floorsRow.Basic && floorsRow.WithExtra > floorsRow.Basic
            && ExtraFloor(floorsRule, c).Allowed;
        // Where the row has one storey count only (L >= 25 m: 6/6), its single roof figure is the one to use.
        var noExtraInRow = floorsRow is not null && floorsRow.WithExtra == floorsRow.Basic;
        var tableLimit = extraUsed ? row.RoofWithExtra : row.Roof ?? (noExtraInRow ? row.RoofWithExtra : null);

        double? cap = c.Rules.LotSize is { } lotSize && c.LotArea < lotSize.MinArea - Epsilon
            ? SmallLotCap(lotSize, c.LotArea, c.Plan.RoadWidth)
            : null;
        double? limit = (tableLimit, cap) switch
        {
            ({ } t, { } k) => Math.Min(t, k),
            ({ } t, null) => t,
            (null, { } k) => k,
            _ => null,
        };
        var citation = cap is not null && (tableLimit is null || cap < tableLimit)
            ? $"{rule.Citation}; {c.Rules.LotSize!.Citation}"
            : rule.Citation;

        var height = c.Plan.Height;
        if (limit is not { } roofLimit)
        {
            return new Finding(RuleIds.Height, FindingStatus.Review, height, null, "m",
                $"Chiều cao {F(height)} m: bảng không quy định chiều cao đỉnh mái cho lộ giới {F(c.Plan.RoadWidth)} m; cơ quan cấp phép xem xét.",
                $"Height {F(height)} m: the table gives no roof height for road width {F(c.Plan.RoadWidth)} m; the authority decides.",
                citation);
        }

        var roofOk = height <= roofLimit + Epsilon;
        var partsVi = new List<string>
        {
            roofOk
                ? $"Chiều cao đỉnh mái {F(height)} m ≤ {F(roofLimit)} m"
                : $"Chiều cao đỉnh mái {F(height)} m vượt {F(roofLimit)} m",
        };
        var partsEn = new List<string>
        {
            roofOk
                ? $"Roof height {F(height)} m within {F(roofLimit)} m"
                : $"Roof height {F(height)} m exceeds {F(roofLimit)} m",
        };
        if (extraUsed)
        {
            partsVi.Add("theo cột có tầng cộng thêm");
            partsEn.Add("per the extra-floor column");
        }

        if (cap is not null && (tableLimit is null || cap < tableLimit))
        {
            partsVi.Add($"giới hạn của lô dưới {F(c.Rules.LotSize!.MinArea)} m²");
            partsEn.Add($"the cap for lots under {F(c.Rules.LotSize!.MinArea)} m²");
        }

        var groundOk = true;
        if (c.Plan.GroundFloorHeight is { } ground && row.GroundFloor is { } groundLimit)
        {
            groundOk = ground <= groundLimit + Epsilon;
            partsVi.Add(groundOk
                ? $"tầng trệt {F(ground)} m ≤ {F(groundLimit)} m"
                : $"tầng trệt {F(ground)} m vượt {F(groundLimit)} m");
            partsEn.Add(groundOk
                ? $"ground floor {F(ground)} m within {F(groundLimit)} m"
                : $"ground floor {F(ground)} m exceeds {F(groundLimit)} m");
        }
        else if (row.GroundFloor is not null)
        {
            partsVi.Add("chưa có chiều cao tầng trệt để kiểm tra");
            partsEn.Add("ground floor height not given, not checked");
        }

        return new Finding(RuleIds.Height, roofOk && groundOk ? FindingStatus.Pass : FindingStatus.Fail, height, roofLimit, "m",
            string.Join("; ", partsVi) + $" (lộ giới {F(c.Plan.RoadWidth)} m).",
            string.Join("; ", partsEn) + $" (road width {F(c.Plan.RoadWidth)} m).",
            citation);
    }

    public static Finding RearSetback(CheckContext c)
    {
        if (c.Rules.RearSetback is not { } rule)
        {
            return Deferred(c, RuleIds.RearSetback, null, "m");
        }

        var depth = c.Shape.Depth;
        var (noteVi, noteEn) = c.Shape.DepthDerived ? (DerivedVi, DerivedEn) : ("", "");
        if (c.LotArea <= rule.LotAreaOver + Epsilon)
        {
            return new Finding(RuleIds.RearSetback, FindingStatus.NotApplicable, null, null, "m",
                $"Lô {F(c.LotArea)} m² ≤ {F(rule.LotAreaOver)} m²: không yêu cầu khoảng lùi phía sau.",
                $"A {F(c.LotArea)} m² lot (≤ {F(rule.LotAreaOver)} m²) needs no rear setback.",
                rule.Citation);
        }

        var required = Band(rule.ByDepth, depth, r => r.DepthFrom).Setback;
        if (required <= 0)
        {
            return new Finding(RuleIds.RearSetback, FindingStatus.NotApplicable, null, 0, "m",
                $"Chiều sâu lô {F(depth)} m: không yêu cầu khoảng lùi phía sau.{noteVi}",
                $"Lot depth {F(depth)} m needs no rear setback.{noteEn}",
                rule.Citation);
        }

        var factory = c.Parcel.Factory;
        var rear = factory.CreateLineString([c.Shape.Rear.P0, c.Shape.Rear.P1]);
        var distance = c.Footprint.Distance(rear);
        var (rearVi, rearEn) = c.Shape.RearAssumed
            ? (" Cạnh sau là cạnh ngắn xa công trình hơn (không có vị trí đường).",
               " The rear is taken as the short side farther from the footprint (no road side given).")
            : ("", "");
        if (distance >= required - Epsilon)
        {
            return new Finding(RuleIds.RearSetback, FindingStatus.Pass, distance, required, "m",
                $"Khoảng lùi sau {F(distance)} m ≥ {F(required)} m (chiều sâu lô {F(depth)} m).{rearVi}{noteVi}",
                $"Rear setback {F(distance)} m meets {F(required)} m (lot depth {F(depth)} m).{rearEn}{noteEn}",
                rule.Citation);
        }

        var strip = c.Shape.RearStrip(required, factory);
        var violating = OverlayNGRobust.Overlay(c.Footprint, strip, SpatialFunction.Intersection);
        return new Finding(RuleIds.RearSetback, FindingStatus.Fail, distance, required, "m",
            $"Khoảng lùi sau {F(distance)} m nhỏ hơn {F(required)} m (chiều sâu lô {F(depth)} m); {F(violating.Area)} m² công trình nằm trong khoảng lùi.{rearVi}{noteVi}",
            $"Rear setback {F(distance)} m is less than {F(required)} m (lot depth {F(depth)} m); {F(violating.Area)} m² of the footprint lies in the setback.{rearEn}{noteEn}",
            rule.Citation,
            violating);
    }

    public static Finding Balcony(CheckContext c)
    {
        if (c.Plan.BalconyProjection is not { } projection)
        {
            return new Finding(RuleIds.Balcony, FindingStatus.NotApplicable, null, null, "m",
                "Không có ban công đưa ra.",
                "No balcony projection given.",
                c.Rules.Balcony?.Citation ?? c.Rules.Deferred[RuleIds.Balcony].Citation);
        }

        if (c.Rules.Balcony is not { } rule)
        {
            return Deferred(c, RuleIds.Balcony, projection, "m");
        }

        var tableLimit = Band(rule.ByRoadWidth, c.Plan.RoadWidth, r => r.RoadWidthFrom).MaxProjection;
        var limit = c.Plan.SidewalkWidth is { } sidewalk
            ? Math.Min(tableLimit, Math.Max(0, sidewalk - rule.SidewalkMargin))
            : tableLimit;
        var basisVi = c.Plan.SidewalkWidth is { } sw
            ? $"lộ giới {F(c.Plan.RoadWidth)} m, vỉa hè {F(sw)} m"
            : $"lộ giới {F(c.Plan.RoadWidth)} m";
        var basisEn = c.Plan.SidewalkWidth is { } swEn
            ? $"road width {F(c.Plan.RoadWidth)} m, sidewalk {F(swEn)} m"
            : $"road width {F(c.Plan.RoadWidth)} m";

        if (projection > limit + Epsilon)
        {
            return new Finding(RuleIds.Balcony, FindingStatus.Fail, projection, limit, "m",
                $"Ban công đưa ra {F(projection)} m vượt {F(limit)} m ({basisVi}).",
                $"Balcony projection {F(projection)} m exceeds {F(limit)} m ({basisEn}).",
                rule.Citation);
        }

        if (c.Plan.SidewalkWidth is null && projection > 0)
        {
            return new Finding(RuleIds.Balcony, FindingStatus.Review, projection, limit, "m",
                $"Ban công đưa ra {F(projection)} m ≤ {F(limit)} m ({basisVi}); chưa có chiều rộng vỉa hè để kiểm tra điều kiện nhỏ hơn vỉa hè ≥ {F(rule.SidewalkMargin)} m.",
                $"Balcony projection {F(projection)} m is within {F(limit)} m ({basisEn}); without the sidewalk width the rule of staying {F(rule.SidewalkMargin)} m inside the sidewalk cannot be checked.",
                rule.Citation);
        }

        return new Finding(RuleIds.Balcony, FindingStatus.Pass, projection, limit, "m",
            $"Ban công đưa ra {F(projection)} m ≤ {F(limit)} m ({basisVi}).",
            $"Balcony projection {F(projection)} m is within {F(limit)} m ({basisEn}).",
            rule.Citation);
    }

    public static Finding Far(CheckContext c)
    {
        if (c.Rules.Far is not { } rule)
        {
            return Deferred(c, RuleIds.Far, null, "");
        }

        var estimated = c.Plan.TotalFloorArea is null;
        var gross = c.Plan.TotalFloorArea ?? c.FootprintArea * c.Plan.Floors;
        var ratio = gross / c.LotArea;
        var (noteVi, noteEn) = estimated
            ? ($" Tổng diện tích sàn ước tính = diện tích xây dựng × {c.Plan.Floors} tầng = {F(gross)} m².",
               $" Total floor area estimated as footprint × {c.Plan.Floors} floors = {F(gross)} m².")
            : ("", "");
        return ratio <= rule.Max + Epsilon
            ? new Finding(RuleIds.Far, FindingStatus.Pass, ratio, rule.Max, "",
                $"Hệ số sử dụng đất {F(ratio)} ≤ {F(rule.Max)}.{noteVi}",
                $"Floor-area ratio {F(ratio)} is within {F(rule.Max)}.{noteEn}",
                rule.Citation)
            : new Finding(RuleIds.Far, FindingStatus.Fail, ratio, rule.Max, "",
                $"Hệ số sử dụng đất {F(ratio)} vượt {F(rule.Max)}.{noteVi}",
                $"Floor-area ratio {F(ratio)} exceeds {F(rule.Max)}.{noteEn}",
                rule.Citation);
    }

    /// <summary>Linear interpolation between breakpoints, constant beyond both ends.</summary>
    internal static double Interpolate(IReadOnlyList<DensityBreakpoint> points, double lotArea)
    {
        if (lotArea <= points[0].LotArea)
        {
            return points[0].MaxDensity;
        }

        for (var i = 1; i < points.Count; i++)
        {
            if (lotArea <= points[i].LotArea)
            {
                var (a, b) = (points[i - 1], points[i]);
                return a.MaxDensity + (b.MaxDensity - a.MaxDensity) * (lotArea - a.LotArea) / (b.LotArea - a.LotArea);
            }
        }

        return points[^1].MaxDensity;
    }

    /// <summary>The row of a banded table whose lower bound is the largest not above <paramref name="value"/>.</summary>
    internal static T Band<T>(IReadOnlyList<T> rows, double value, Func<T, double> lowerBound)
    {
        var chosen = rows[0];
        foreach (var row in rows)
        {
            if (lowerBound(row) <= value + Epsilon)
            {
                chosen = row;
            }
        }

        return chosen;
    }

    /// <summary>The tightest-fitting cap: smallest area band, then the widest road band the lot reaches.</summary>
    private static double? SmallLotCap(LotSizeRule rule, double area, double roadWidth) =>
        rule.SmallLotCaps
            .Where(cap => area < cap.AreaBelow && roadWidth >= cap.RoadWidthFrom - Epsilon)
            .OrderBy(cap => cap.AreaBelow)
            .ThenByDescending(cap => cap.RoadWidthFrom)
            .Select(cap => (double?)cap.MaxRoofHeight)
            .FirstOrDefault();

    private sealed record ExtraFloorDecision(bool Allowed, string ReasonVi, string ReasonEn);

    /// <summary>
    /// Decision 56/2021 Appendix 18 Table 2: the extra floor needs a central ward, a commercial-service street, or
    /// frontage over 8 m, and is never granted below 4 m of frontage.
    /// </summary>
    private static ExtraFloorDecision ExtraFloor(FloorsRule rule, CheckContext c)
    {
        var conditions = rule.ExtraFloor;
        var frontage = c.Shape.Frontage;
        if (frontage < conditions.MinFrontage - Epsilon)
        {
            return new(false,
                $"mặt tiền {F(frontage)} m dưới {F(conditions.MinFrontage)} m",
                $"frontage {F(frontage)} m is under {F(conditions.MinFrontage)} m");
        }

        var vi = new List<string>();
        var en = new List<string>();
        if (conditions.CentralWard && c.Plan.CentralWard)
        {
            vi.Add("phường trung tâm");
            en.Add("central ward");
        }

        if (conditions.CommercialStreet && c.Plan.CommercialStreet
            && c.Plan.RoadWidth >= conditions.CommercialStreetMinRoadWidth - Epsilon)
        {
            vi.Add("tuyến đường thương mại - dịch vụ");
            en.Add("commercial-service street");
        }

        if (frontage > conditions.FrontageOver + Epsilon)
        {
            vi.Add($"mặt tiền {F(frontage)} m > {F(conditions.FrontageOver)} m");
            en.Add($"frontage {F(frontage)} m over {F(conditions.FrontageOver)} m");
        }

        if (vi.Count > 0)
        {
            return new(true, string.Join(", ", vi), string.Join(", ", en));
        }

        var streetVi = c.Plan.CommercialStreet
            ? $"tuyến thương mại - dịch vụ chỉ tính khi lộ giới ≥ {F(conditions.CommercialStreetMinRoadWidth)} m"
            : "không thuộc tuyến thương mại - dịch vụ";
        var streetEn = c.Plan.CommercialStreet
            ? $"a commercial-service street counts only where the road is ≥ {F(conditions.CommercialStreetMinRoadWidth)} m"
            : "not on a commercial-service street";
        return new(false,
            $"không thuộc phường trung tâm, {streetVi}, mặt tiền {F(frontage)} m ≤ {F(conditions.FrontageOver)} m",
            $"not in a central ward, {streetEn}, frontage {F(frontage)} m is not over {F(conditions.FrontageOver)} m");
    }

    private static Finding Deferred(CheckContext c, string ruleId, double? actual, string unit)
    {
        var deferred = c.Rules.Deferred[ruleId];
        return new Finding(ruleId, deferred.Status, actual, null, unit, deferred.ReasonVi, deferred.ReasonEn, deferred.Citation);
    }

    private static string F(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
}
