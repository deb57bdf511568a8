using System.Data.Common;

namespace HcmCity.Abstractions.Audit;

/// <summary>
/// The append-only, hash-chained audit trail: PostgreSQL (table audit_log, where
/// a trigger forbids UPDATE and DELETE) or in memory in embedded mode.
/// Stores that must write an entry in the same transaction as their own change use <see cref="ITransactionalAuditTrail"/>.
/// </summary>
public interface IAuditTrail
{
    Task<AuditEntry> AppendAsync(AuditDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Entries with seq greater than <paramref name="afterSeq"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain; reports the first altered or missing entry.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}

/// <summary>The PostgreSQL trail, for stores that append inside their own transaction.</summary>
public interface ITransactionalAuditTrail
{
    /// <summary>
    /// Appends inside the caller's transaction, so the audited change and its entry commit or roll back together.
    /// The head's row lock is held until that transaction ends: keep such transactions short.
    /// </summary>
    Task<AuditEntry> AppendAsync(DbConnection connection, DbTransaction transaction, AuditDraft draft, CancellationToken cancellationToken);
}

/// <summary>The embedded mode's in-memory trail, for stores that change their data and audit it under one lock of their own.</summary>
public interface ISynchronousAuditTrail
{
    AuditEntry Append(AuditDraft draft);
}
