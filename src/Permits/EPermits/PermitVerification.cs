using System.Globalization;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// Whether a permit can be relied on. Public output: it names the permit, never the holder.
/// </summary>
/// <param name="Genuine">Signed with one of the platform's keys and (online) the permit is in the register.</param>
/// <param name="Unaltered">The claims are exactly as signed and (online) identical to the register's copy.</param>
/// <param name="Valid">Genuine, unaltered, not expired and not revoked.</param>
/// <param name="RevocationChecked">False offline: only the register knows about revocations.</param>
/// <param name="Problems">Why it is not valid, in Vietnamese then English, one line each.</param>
public sealed record PermitVerification(
    string PermitNumber,
    bool Genuine,
    bool Unaltered,
    bool Valid,
    bool Revoked,
    DateTimeOffset? RevokedAt,
    string? Reason,
    DateTimeOffset ExpiresAt,
    string KeyId,
    bool RevocationChecked,
    IReadOnlyList<string> Problems)
{
    /// <summary>What can be known with the public keys only (no register, so no revocation).</summary>
    public static PermitVerification Offline(PermitSignatureCheck check)
    {
        var problems = SignatureProblems(check);
        return Create(check, check.SignatureValid, check.SignatureValid, revocation: null, revocationChecked: false, problems);
    }

    /// <summary>
    /// What the register adds: the permit must be there with this very JWS (a genuine key that signed something the
    /// register never issued means the key leaked), and a revocation makes it invalid.
    /// </summary>
    public static PermitVerification Online(PermitSignatureCheck check, StoredPermit? registered)
    {
        var problems = SignatureProblems(check);
        var sameAsRegister = registered is not null && string.Equals(registered.Jws, check.Permit.Jws, StringComparison.Ordinal);
        if (registered is null)
        {
            problems.Add("Không có trong sổ cấp phép / not in the permit register");
        }
        else if (!sameAsRegister)
        {
            problems.Add("Khác bản trong sổ cấp phép / differs from the register's copy");
        }
        var genuine = check.SignatureValid && sameAsRegister;
        var unaltered = check.SignatureValid && (registered is null || sameAsRegister);
        return Create(check, genuine, unaltered, registered?.Revocation, revocationChecked: true, problems);
    }

    private static PermitVerification Create(
        PermitSignatureCheck check, bool genuine, bool unaltered, PermitRevocation? revocation, bool revocationChecked,
        List<string> problems)
    {
        var claims = check.Permit.Claims;
        if (check.Expired)
        {
            problems.Add($"Hết hiệu lực từ {Date(claims.ValidUntil)} / expired on {Date(claims.ValidUntil)}");
        }
        if (revocation is not null)
        {
            problems.Add($"Đã thu hồi ngày {Date(revocation.RevokedAt)} / revoked on {Date(revocation.RevokedAt)}: {revocation.Reason}");
        }
        var valid = genuine && unaltered && !check.Expired && revocation is null;
        return new PermitVerification(
            claims.Number, genuine, unaltered, valid, revocation is not null, revocation?.RevokedAt, revocation?.Reason,
            claims.ValidUntil, check.Permit.KeyId, revocationChecked, problems);
    }

    private static List<string> SignatureProblems(PermitSignatureCheck check)
    {
        var problems = new List<string>();
        if (!check.KnownKey)
        {
            problems.Add($"Khóa ký không phải của nền tảng / signed with an unknown key (kid {check.Permit.KeyId})");
        }
        else if (!check.SignatureValid)
        {
            problems.Add("Chữ ký không khớp: nội dung đã bị sửa / signature does not match: the content was altered");
        }
        return problems;
    }

    /// <summary>Vietnam's civil date (UTC+7, no daylight saving) of an instant.</summary>
    public static string Date(DateTimeOffset instant) =>
        instant.ToOffset(EPermitOptions.VietnamOffset).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
