using HcmCity.Abstractions.Audit;

namespace HcmCity.Permits.EPermits;

/// <summary>
/// The register of issued electronic permits (sổ cấp phép) and their revocations. PostgreSQL in production, memory
/// in embedded mode; one contract test suite runs against both.
/// </summary>
public interface IEPermitStore
{
    /// <summary>The next number of the unit's sequence for the year, from 1; never the same twice.</summary>
    Task<long> NextSequenceAsync(string unit, int year, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an issued permit and returns it, or returns the permit already recorded for the same dossier (one
    /// dossier, one permit: an approval retried after a failure must not issue twice).
    /// </summary>
    Task<StoredPermit> AddAsync(StoredPermit permit, CancellationToken cancellationToken = default);

    Task<StoredPermit?> GetAsync(string number, CancellationToken cancellationToken = default);

    Task<StoredPermit?> FindByDossierAsync(string dossierNumber, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a revocation, and audits it in the same step (<c>epermit.revoke</c>); the first one stands. Returns the
    /// revocation on record (the earlier one when the permit was already revoked), or null when there is no such permit.
    /// </summary>
    /// <param name="revokedByRole">The role <see cref="PermitRevocation.RevokedBy"/> acted in, for the audit entry.</param>
    Task<PermitRevocation?> RevokeAsync(
        string number, PermitRevocation revocation, string revokedByRole, CancellationToken cancellationToken = default);

    /// <summary>Revoked permits, most recent first, as a published revocation list.</summary>
    Task<IReadOnlyList<RevokedPermit>> ListRevocationsAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>A permit in the register.</summary>
/// <param name="HolderName">RESTRICTED personal data, when known: shown only to the holder and to officers.</param>
/// <param name="HolderSubject">The holder's account (token <c>sub</c>), so the holder can see their own permit.</param>
public sealed record StoredPermit(
    string Number,
    string DossierNumber,
    string Unit,
    long ParcelId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil,
    string KeyId,
    string Jws,
    string? HolderName,
    string? HolderSubject,
    PermitRevocation? Revocation = null);

/// <summary>Thu hồi giấy phép: who recorded it, when and why.</summary>
public sealed record PermitRevocation(DateTimeOffset RevokedAt, string RevokedBy, string Reason);

/// <summary>An entry of the published revocation list (no personal data).</summary>
public sealed record RevokedPermit(string Number, DateTimeOffset RevokedAt, string Reason);

/// <summary>The audit entry of a revocation (no personal data: the officer by account id, the permit by number).</summary>
internal static class EPermitAudit
{
    public const string RevokeAction = "epermit.revoke";

    public static AuditDraft Revoked(string number, PermitRevocation revocation, string role) => new(
        revocation.RevokedAt, revocation.RevokedBy, role, RevokeAction, number,
        new Dictionary<string, string?> { ["reason"] = revocation.Reason });
}
