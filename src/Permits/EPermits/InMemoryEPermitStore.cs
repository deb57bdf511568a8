using HcmCity.Abstractions.Audit;

namespace HcmCity.Permits.EPermits;

/// <summary>The register in memory, for embedded mode (no database): lost when the process stops.</summary>
public sealed class InMemoryEPermitStore(ISynchronousAuditTrail audit) : IEPermitStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredPermit> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _numberByDossier = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Unit, int Year), long> _sequences = [];

    public Task<long> NextSequenceAsync(string unit, int year, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var next = _sequences.GetValueOrDefault((unit, year)) + 1;
            _sequences[(unit, year)] = next;
            return Task.FromResult(next);
        }
    }

    public Task<StoredPermit> AddAsync(StoredPermit permit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(permit);
        lock (_lock)
        {
            if (_numberByDossier.TryGetValue(permit.DossierNumber, out var existing))
            {
                return Task.FromResult(_byNumber[existing]);
            }
            if (!_byNumber.TryAdd(permit.Number, permit with { Revocation = null }))
            {
                throw new InvalidOperationException($"Permit number {permit.Number} is already in the register.");
            }
            _numberByDossier[permit.DossierNumber] = permit.Number;
            return Task.FromResult(_byNumber[permit.Number]);
        }
    }

    public Task<StoredPermit?> GetAsync(string number, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_byNumber.GetValueOrDefault(number));
        }
    }

    public Task<StoredPermit?> FindByDossierAsync(string dossierNumber, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_numberByDossier.TryGetValue(dossierNumber, out var number) ? _byNumber[number] : null);
        }
    }

    public Task<PermitRevocation?> RevokeAsync(
        string number, PermitRevocation revocation, string revokedByRole, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        lock (_lock)
        {
            if (!_byNumber.TryGetValue(number, out var permit))
            {
                return Task.FromResult<PermitRevocation?>(null);
            }
            if (permit.Revocation is null)
            {
                _byNumber[number] = permit = permit with { Revocation = revocation };
                audit.Append(EPermitAudit.Revoked(number, revocation, revokedByRole));
            }
            return Task.FromResult<PermitRevocation?>(permit.Revocation);
        }
    }

    public Task<IReadOnlyList<RevokedPermit>> ListRevocationsAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<RevokedPermit> list =
            [
                .. _byNumber.Values
                    .Where(p => p.Revocation is not null)
                    .OrderByDescending(p => p.Revocation!.RevokedAt).ThenBy(p => p.Number, StringComparer.Ordinal)
                    .Take(limit)
                    .Select(p => new RevokedPermit(p.Number, p.Revocation!.RevokedAt, p.Revocation.Reason)),
            ];
            return Task.FromResult(list);
        }
    }
}
