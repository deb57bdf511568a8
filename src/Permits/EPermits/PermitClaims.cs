using System.Text.Json.Serialization;
using HcmCity.Abstractions.Permits;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// The signed content of an electronic construction permit (giấy phép xây dựng điện tử), the JWS payload.
/// Registered JWT names where one fits (jti = permit number, iss, iat, exp in Unix seconds); the rest is ours.
/// Anyone holding the paper's QR code can read these claims, so they carry no personal data: the holder appears
/// only as initials, the full name stays in the register (restricted).
/// Two formats verify side by side: version 1 (no "ver"), issued before site conditions, where "exp" is the start-by
/// instant; version 2 adds the machine-readable <see cref="SiteConditions"/>, and "exp" is the end of the
/// construction period (the start-by date is in the conditions).
/// </summary>
public sealed record PermitClaims
{
    /// <summary>The claims format carrying <see cref="SiteConditions"/>.</summary>
    public const int SiteConditionsVersion = 2;

    /// <summary>Permit number (số giấy phép), e.g. "GP-26743-2026-000045".</summary>
    [JsonPropertyName("jti")]
    public required string Number { get; init; }

    /// <summary>
    /// The issuing authority: for individual houses the commune/ward People's Committee (Ủy ban nhân dân) of the
    /// unit, HCMC Decision 29/2025/QĐ-UBND.
    /// </summary>
    [JsonPropertyName("iss")]
    public required string Issuer { get; init; }

    /// <summary>Administrative unit code of the issuing People's Committee.</summary>
    [JsonPropertyName("issuerUnit")]
    public required string IssuerUnit { get; init; }

    /// <summary>Dossier number (số hồ sơ) of the approved application.</summary>
    [JsonPropertyName("dossier")]
    public required string Dossier { get; init; }

    [JsonPropertyName("parcel")]
    public required PermitParcel Parcel { get; init; }

    /// <summary>Permit type, one of <see cref="PermitTypes"/>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("scope")]
    public required PermitScope Scope { get; init; }

    /// <summary>Conditions the holder must meet (điều kiện kèm theo giấy phép).</summary>
    [JsonPropertyName("conditions")]
    public required IReadOnlyList<string> Conditions { get; init; }

    /// <summary>The holder's initials only, e.g. "N.V.A." (personal data stays in the register); null when not given.</summary>
    [JsonPropertyName("holder")]
    public string? HolderInitials { get; init; }

    /// <summary>Claims format; absent in version 1.</summary>
    [JsonPropertyName("ver")]
    public int? FormatVersion { get; init; }

    /// <summary>The site conditions (version 2): working hours, limits, tilt alarms and the construction period.</summary>
    [JsonPropertyName("site")]
    public PermitSiteConditions? SiteConditions { get; init; }

    [JsonPropertyName("iat")]
    public required long IssuedAtUnix { get; init; }

    /// <summary>End of validity: in version 1, construction must start before this instant; in version 2, the end of the construction period.</summary>
    [JsonPropertyName("exp")]
    public required long ValidUntilUnix { get; init; }

    [JsonIgnore]
    public DateTimeOffset IssuedAt => DateTimeOffset.FromUnixTimeSeconds(IssuedAtUnix);

    [JsonIgnore]
    public DateTimeOffset ValidUntil => DateTimeOffset.FromUnixTimeSeconds(ValidUntilUnix);
}

/// <summary>The parcel (thửa đất) the permit is for: unit + map sheet (số tờ) + parcel number (số thửa), and its store id.</summary>
public sealed record PermitParcel(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("sheet")] string Sheet,
    [property: JsonPropertyName("number")] string Number);

/// <summary>What may be built (quy mô công trình).</summary>
public sealed record PermitScope(
    [property: JsonPropertyName("floors")] int Floors,
    [property: JsonPropertyName("basements")] int Basements,
    [property: JsonPropertyName("heightM")] double HeightM,
    [property: JsonPropertyName("footprintM2")] double FootprintM2,
    [property: JsonPropertyName("grossFloorAreaM2")] double? GrossFloorAreaM2 = null);

/// <summary>Permit types of Law 135/2025/QH15 (in force 1 July 2026) [secondary].</summary>
public static class PermitTypes
{
    public const string NewConstruction = "new-construction";
    public const string Renovation = "repair-renovation";
    public const string Relocation = "relocation";

    /// <summary>Term-limited (có thời hạn); its limits are data, in <see cref="Dossiers.PermitTypeRules"/>.</summary>
    public const string TermLimited = "term-limited";

    public static readonly string[] All = [NewConstruction, Renovation, Relocation, TermLimited];

    /// <summary>Vietnamese name as printed on the permit.</summary>
    public static string VietnameseName(string type) =>
        Dossiers.PermitTypeRules.Embedded.Types.TryGetValue(type, out var rule) ? rule.VietnameseName : type;
}
