namespace HcmCity.Storage.Audit;

/// <summary>
/// The append-only, hash-chained audit trail: PostgreSQL (<see cref="PostgresAuditTrail"/>, table audit_log, where
/// a trigger forbids UPDATE and DELETE) or in memory in embedded mode (<see cref="InMemoryAuditTrail"/>).
/// Stores that must write an entry in the same transaction as their own change use
/// <see cref="PostgresAuditTrail.AppendAsync(Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, AuditDraft, CancellationToken)"/>.
/// </summary>
public interface IAuditTrail
{
    Task<AuditEntry> AppendAsync(AuditDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Entries with seq greater than <paramref name="afterSeq"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain; reports the first altered or missing entry.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
