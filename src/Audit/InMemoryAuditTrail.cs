using HcmCity.Abstractions.Audit;

namespace HcmCity.Audit;

/// <summary>The audit trail of embedded mode: the same hash chain, in process memory.</summary>
public sealed class InMemoryAuditTrail : IAuditTrail, ISynchronousAuditTrail
{
    private readonly List<AuditEntry> _entries = [];
    private readonly Lock _gate = new();

    public Task<AuditEntry> AppendAsync(AuditDraft draft, CancellationToken cancellationToken = default) =>
        Task.FromResult(Append(draft));

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries.Where(e => e.Seq > afterSeq).Take(limit)]);
        }
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var head = _entries.Count == 0 ? AuditChain.Genesis : _entries[^1].Hash;
            return Task.FromResult(AuditChain.Verify(_entries, _entries.Count, head));
        }
    }

    /// <summary>Appends synchronously, so a store can change its data and audit it inside one critical section of its own.</summary>
    public AuditEntry Append(AuditDraft draft)
    {
        lock (_gate)
        {
            var previous = _entries.Count == 0 ? AuditChain.Genesis : _entries[^1].Hash;
            var entry = AuditChain.Seal(draft, _entries.Count + 1, previous);
            _entries.Add(entry);
            return entry;
        }
    }
}
