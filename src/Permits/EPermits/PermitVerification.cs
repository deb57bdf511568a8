using System.Globalization;
using HcmCity.Abstractions.Permits;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// Whether a permit can be relied on. Public output: it names the permit, never the holder.
/// </summary>
/// <param name="Genuine">Signed with one of the platform's keys and (online) the permit is in the register.</param>
/// <param name="Unaltered">The claims are exactly as signed and (online) identical to the register's copy.</param>
/// <param name="Valid">Genuine, unaltered, not expired, not revoked, and (online) neither suspended nor completed: work may go on under it.</param>
/// <param name="RevocationChecked">False offline: only the register knows about revocations and the construction phase.</param>
/// <param name="Problems">Why it is not valid, in Vietnamese then English, one line each.</param>
/// <param name="Phase">The construction phase on record (approved, commenced, suspended, completed, expired); null offline.</param>
/// <param name="Suspended">Online: the works are suspended (đình chỉ thi công).</param>
/// <param name="Completed">Online: construction is completed (hoàn công); the permit has served its purpose.</param>
/// <param name="Expired">Past its validity, or (online) lapsed with no commencement by the start-by date.</param>
/// <param name="StartBy">The start-by date signed in the permit (version 2 claims).</param>
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
    IReadOnlyList<string> Problems,
    string? Phase = null,
    bool Suspended = false,
    bool Completed = false,
    bool Expired = false,
    DateOnly? StartBy = null)
{
    /// <summary>What can be known with the public keys only (no register, so no revocation).</summary>
    public static PermitVerification Offline(PermitSignatureCheck check)
    {
        var problems = SignatureProblems(check);
        return Create(check, check.SignatureValid, check.SignatureValid, revocation: null, phase: null, revocationChecked: false, problems);
    }

    /// <summary>
    /// What the register adds: the permit must be there with this very JWS (a genuine key that signed something the
    /// register never issued means the key leaked), a revocation makes it invalid, and so do a suspension, a
    /// completion and a lapse for lack of commencement recorded on its dossier.
    /// </summary>
    public static PermitVerification Online(PermitSignatureCheck check, StoredPermit? registered, PermitPhase? phase = null)
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
        return Create(check, genuine, unaltered, registered?.Revocation, registered is null ? null : phase, revocationChecked: true, problems);
    }

    private static PermitVerification Create(
        PermitSignatureCheck check, bool genuine, bool unaltered, PermitRevocation? revocation, PermitPhase? phase,
        bool revocationChecked, List<string> problems)
    {
        var claims = check.Permit.Claims;
        var startBy = claims.SiteConditions?.StartBy;
        if (check.Expired)
        {
            problems.Add($"Hết hiệu lực từ {Date(claims.ValidUntil)} / expired on {Date(claims.ValidUntil)}");
        }
        if (revocation is not null)
        {
            problems.Add($"Đã thu hồi ngày {Date(revocation.RevokedAt)} / revoked on {Date(revocation.RevokedAt)}: {revocation.Reason}");
        }
        var lapsed = phase?.State == PermitState.Expired;
        var suspended = phase?.State == PermitState.Suspended;
        var completed = phase?.State == PermitState.Completed;
        if (lapsed && !check.Expired)
        {
            problems.Add($"Hết hiệu lực ngày {Date(phase!.Since)}: không khởi công đúng hạn / expired on {Date(phase.Since)}: not commenced by the start-by date");
        }
        if (suspended)
        {
            problems.Add($"Đang bị đình chỉ thi công từ {Date(phase!.Since)} / construction suspended since {Date(phase.Since)}: {phase.Reason}");
        }
        if (completed)
        {
            problems.Add($"Đã hoàn công ngày {Date(phase!.Since)} / construction completed on {Date(phase.Since)}");
        }
        var expired = check.Expired || lapsed;
        var valid = genuine && unaltered && !expired && revocation is null && !suspended && !completed;
        return new PermitVerification(
            claims.Number, genuine, unaltered, valid, revocation is not null, revocation?.RevokedAt, revocation?.Reason,
            claims.ValidUntil, check.Permit.KeyId, revocationChecked, problems,
            phase is null ? null : PermitWorkflow.Name(phase.State), suspended, completed, expired, startBy);
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

/// <summary>Where a permit's dossier stands in the construction phase, and since when (with the decision's reason).</summary>
public sealed record PermitPhase(PermitState State, DateTimeOffset Since, string? Reason);
