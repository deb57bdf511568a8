using System.Text.Json.Serialization;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Compliance;

[JsonConverter(typeof(JsonStringEnumConverter<FindingStatus>))]
public enum FindingStatus
{
    [JsonStringEnumMemberName("pass")]
    Pass,

    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>The tables leave the case to the authority: an officer decides, the engine never guesses.</summary>
    [JsonStringEnumMemberName("review")]
    Review,

    [JsonStringEnumMemberName("not-applicable")]
    NotApplicable,
}

[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    [JsonStringEnumMemberName("pass")]
    Pass,

    [JsonStringEnumMemberName("fail")]
    Fail,

    [JsonStringEnumMemberName("review")]
    Review,
}

/// <summary>The rule ids a <see cref="ComplianceReport"/> always holds, one finding each, in this order.</summary>
public static class RuleIds
{
    public const string LandUse = "land-use";
    public const string LotSize = "lot-size";
    public const string InsideParcel = "inside-parcel";
    public const string Density = "density";
    public const string Floors = "floors";
    public const string Height = "height";
    public const string RearSetback = "rear-setback";
    public const string Balcony = "balcony";
    public const string Far = "far";

    public static IReadOnlyList<string> All { get; } =
        [LandUse, LotSize, InsideParcel, Density, Floors, Height, RearSetback, Balcony, Far];
}

/// <summary>
/// The outcome of one rule (kết quả kiểm tra). <see cref="Actual"/> and <see cref="Limit"/> are in
/// <see cref="Unit"/> ("m", "m²", "%", "floors" or "" for a ratio); <see cref="Geometry"/>, when present, is the
/// part to draw (e.g. the footprint outside the parcel, inside the rear setback, or the whole footprint when the
/// density is over), in the parcel's CRS.
/// </summary>
public sealed record Finding(
    string Rule,
    FindingStatus Status,
    double? Actual,
    double? Limit,
    string Unit,
    string MessageVi,
    string MessageEn,
    string Citation,
    Geometry? Geometry = null);

/// <summary>Result of checking one site plan against one rule set.</summary>
public sealed record ComplianceReport(
    Verdict Verdict,
    string RuleSetId,
    string RuleSetVersion,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>Fail if any finding fails; else review if any needs review; else pass.</summary>
    public static Verdict VerdictOf(IEnumerable<Finding> findings)
    {
        var review = false;
        foreach (var finding in findings)
        {
            if (finding.Status == FindingStatus.Fail)
            {
                return Verdict.Fail;
            }

            review |= finding.Status == FindingStatus.Review;
        }

        return review ? Verdict.Review : Verdict.Pass;
    }

    public Finding this[string rule] => Findings.First(f => f.Rule == rule);
}
