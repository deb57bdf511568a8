namespace HcmCity.Abstractions.Audit;

/// <summary>What happened, by whom, to what: an audit entry before it is sealed into the chain.</summary>
/// <param name="Details">Free fields of the event; never personal data (refer to people by id, not by CCCD or name).</param>
public sealed record AuditDraft(
    DateTimeOffset At,
    string Actor,
    string Role,
    string Action,
    string Subject,
    IReadOnlyDictionary<string, string?> Details);

/// <summary>A sealed entry (nhật ký kiểm toán): <see cref="Hash"/> = SHA-256(<see cref="PrevHash"/> || canonical JSON of the entry).</summary>
/// <param name="Details">The details as the canonical JSON text that was hashed.</param>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset At,
    string Actor,
    string Role,
    string Action,
    string Subject,
    string Details,
    byte[] PrevHash,
    byte[] Hash);

/// <param name="Entries">How many entries were checked.</param>
/// <param name="FirstBadSeq">The first entry whose link or hash does not hold, when the chain is broken.</param>
public sealed record AuditVerification(bool IsIntact, long Entries, long? FirstBadSeq, string? Problem)
{
    public static AuditVerification Intact(long entries) => new(true, entries, null, null);
}
