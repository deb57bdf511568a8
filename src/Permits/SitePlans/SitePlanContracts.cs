using System.Text.Json;
using HcmCity.Gis.Compliance;

namespace HcmCity.Permits.SitePlans;

/// <summary>
/// Body of <c>POST /api/site-plans/check</c>, as documented in OpenAPI. The endpoint reads the JSON itself
/// (<see cref="SitePlanInput"/>) so that every bad member is reported by its own name.
/// </summary>
/// <param name="ParcelId">A parcel on record; give this or <paramref name="Parcel"/>, not both.</param>
/// <param name="Parcel">An inline parcel, for a pre-check of a lot not (yet) on record.</param>
/// <param name="Footprint">GeoJSON Polygon in the parcel's CRS (with a parcel id: its source CRS, e.g. EPSG:9210).</param>
/// <param name="Crs">If given, must be the parcel's CRS: a guard against a footprint drawn in another system.</param>
/// <param name="Floors">Storeys above ground (số tầng).</param>
/// <param name="Height">Roof height (chiều cao đỉnh mái), m.</param>
/// <param name="GroundFloorHeight">Ground floor with mezzanine (tầng trệt + lửng), m.</param>
/// <param name="RoadWidth">Width of the adjoining road by its planned boundary (lộ giới), m.</param>
/// <param name="AreaType">"existing" (Decision 56/2021/QĐ-UBND) or "new" (QCVN 01:2021/BXD).</param>
/// <param name="Date">yyyy-MM-dd: the rule set in force on that day; today in Ho Chi Minh City when left out.</param>
public sealed record SitePlanCheckRequest(
    long? ParcelId,
    InlineParcelRequest? Parcel,
    JsonElement? Footprint,
    string? Crs,
    int? Floors,
    double? Height,
    double? GroundFloorHeight,
    double? RoadWidth,
    string? AreaType,
    double? Frontage,
    double? Depth,
    bool? CentralWard,
    bool? CommercialStreet,
    double? BalconyProjection,
    double? SidewalkWidth,
    double? TotalFloorArea,
    string? Date);

/// <param name="Geometry">GeoJSON Polygon or one-part MultiPolygon in <paramref name="Crs"/>.</param>
/// <param name="Crs">A projected VN-2000 CRS in metres, e.g. "EPSG:9210" (HCMC) or "EPSG:5899" (former Bà Rịa–Vũng Tàu).</param>
/// <param name="LandUse">Land-use code(s), e.g. "ODT" (Circular 08/2024/TT-BTNMT).</param>
public sealed record InlineParcelRequest(JsonElement? Geometry, string? Crs, string? LandUse);

/// <summary>The outcome of a check: the verdict over every rule, and one finding per rule in a fixed order.</summary>
/// <param name="Crs">CRS of every geometry in the body, e.g. "EPSG:4326".</param>
public sealed record SitePlanCheckResponse(
    Verdict Verdict, RuleSetReference RuleSet, string Crs, IReadOnlyList<FindingResponse> Findings);

/// <summary>
/// The check of a dossier's site plan for the officer's map: the same body as a pre-check with every geometry in
/// WGS 84, plus the parcel and the footprint to draw under the findings.
/// </summary>
public sealed record DossierCheckResponse(
    Verdict Verdict,
    RuleSetReference RuleSet,
    string Crs,
    IReadOnlyList<FindingResponse> Findings,
    JsonElement Parcel,
    JsonElement Footprint);

public sealed record RuleSetReference(string Id, string Version);

/// <summary>The outcome of one rule (kết quả kiểm tra).</summary>
/// <param name="Unit">Unit of <paramref name="Actual"/> and <paramref name="Limit"/>: "m", "m²", "%", "floors" or "" for a ratio.</param>
/// <param name="Geometry">GeoJSON of the part to draw (e.g. the footprint outside the parcel), or null.</param>
public sealed record FindingResponse(
    string Rule,
    FindingStatus Status,
    double? Actual,
    double? Limit,
    string Unit,
    LocalizedText Message,
    string Citation,
    JsonElement? Geometry);

/// <param name="Vi">Vietnamese, the language of the decision.</param>
/// <param name="En">English.</param>
public sealed record LocalizedText(string Vi, string En);
