using HcmCity.Abstractions.Audit;
using HcmCity.Permits.Calendar;
using HcmCity.Permits.Public;

namespace HcmCity.Permits.Dossiers;

/// <summary>Dossiers and applicants of embedded mode, in memory; each change and its audit entry under one lock.</summary>
public sealed class InMemoryPermitRepository(ISynchronousAuditTrail audit) : IPermitRepository
{
    private readonly Dictionary<string, PermitRecord> _dossiers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PermitEventRecord>> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<long, ApplicantProfile> _applicants = [];
    private readonly Lock _gate = new();
    private long _dossierSequence;

    public Task<long> NextDossierSequenceAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Interlocked.Increment(ref _dossierSequence));

    public Task<ApplicantProfile?> FindOwnApplicantAsync(string ownerSubject, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Latest(ownerSubject));
        }
    }

    public Task<ApplicantProfile?> GetApplicantAsync(long id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_applicants.GetValueOrDefault(id));
        }
    }

    public Task<ApplicantProfile> DeclareApplicantAsync(ApplicantDeclaration declaration, string actorSubject, string actorRole,
        CancellationToken cancellationToken = default)
    {
        if (!ApplicantProfile.IsCitizenId(declaration.CitizenId))
        {
            throw new ArgumentException("A CCCD is 12 digits.", nameof(declaration));
        }
        lock (_gate)
        {
            var latest = declaration.OwnerSubject is { } owner ? Latest(owner) : null;
            if (latest is not null && latest.CitizenId != declaration.CitizenId)
            {
                throw new ApplicantIdentityException();
            }
            if (latest is not null && latest.Matches(declaration))
            {
                return Task.FromResult(latest);
            }
            var profile = new ApplicantProfile(_applicants.Count + 1, declaration.CitizenId, declaration.FullName, declaration.Address,
                declaration.Phone, declaration.OwnerSubject, (latest?.Version ?? 0) + 1);
            _applicants[profile.Id] = profile;
            audit.Append(PermitAudit.Applicant(profile.Id, profile.Version, actorSubject, actorRole, DateTimeOffset.UtcNow));
            return Task.FromResult(profile);
        }
    }

    private ApplicantProfile? Latest(string ownerSubject) =>
        _applicants.Values.Where(a => a.OwnerSubject == ownerSubject).MaxBy(a => a.Version);

    public Task CreateAsync(PermitRecord dossier, PermitEventRecord submitted, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_dossiers.ContainsKey(dossier.Number) || dossier.Version != 1 || submitted.Seq != 1)
            {
                throw new PermitConcurrencyException(dossier.Number);
            }
            _dossiers[dossier.Number] = dossier;
            _events[dossier.Number] = [submitted];
            audit.Append(PermitAudit.Event(submitted));
        }
        return Task.CompletedTask;
    }

    public Task SaveAsync(PermitRecord dossier, PermitEventRecord evt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_dossiers.TryGetValue(dossier.Number, out var stored) || stored.Version != dossier.Version - 1 || evt.Seq != dossier.Version)
            {
                throw new PermitConcurrencyException(dossier.Number);
            }
            _dossiers[dossier.Number] = dossier;
            _events[dossier.Number].Add(evt);
            audit.Append(PermitAudit.Event(evt));
        }
        return Task.CompletedTask;
    }

    public Task<PermitRecord?> GetAsync(string number, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_dossiers.GetValueOrDefault(number));
        }
    }

    public Task<IReadOnlyList<PermitEventRecord>> GetHistoryAsync(string number, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PermitEventRecord>>(_events.TryGetValue(number, out var events) ? [.. events] : []);
        }
    }

    public Task<IReadOnlyList<PermitRecord>> ListAsync(PermitListQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PermitRecord>>([.. _dossiers.Values
                .Where(d => d.Unit == query.Unit
                    && (query.State is null || d.State == query.State)
                    && (query.Overdue is null || d.Overdue == query.Overdue))
                .OrderByDescending(d => d.SubmittedAt).ThenByDescending(d => d.Number, StringComparer.Ordinal)
                .Skip(query.Offset).Take(query.Limit)]);
        }
    }

    public Task<IReadOnlyList<ProcessingRow>> ProcessingFiguresAsync(ProcessingQuery query, CancellationToken cancellationToken = default)
    {
        // Ordinal order, as PostgreSQL's COLLATE "C".
        var groups = new SortedDictionary<(string Ward, string Procedure), (int Received, int Resolved, int OnTime, int Overdue, List<int> Days)>(
            Comparer<(string Ward, string Procedure)>.Create((a, b) =>
                string.CompareOrdinal(a.Ward, b.Ward) is var byWard and not 0 ? byWard : string.CompareOrdinal(a.Procedure, b.Procedure)));
        lock (_gate)
        {
            foreach (var d in _dossiers.Values)
            {
                if ((query.Ward is not null && d.Unit != query.Ward) || (query.Procedure is not null && d.PermitType != query.Procedure))
                {
                    continue;
                }
                var received = VietnamWorkingCalendar.DateInVietnam(d.SubmittedAt);
                var resolution = _events[d.Number].FirstOrDefault(e => ProcessingQuery.ResolvingActions.Contains(e.Action));
                var resolved = resolution is null ? (DateOnly?)null : VietnamWorkingCalendar.DateInVietnam(resolution.At);
                var counted = query.InPeriod(received);
                var resolvedInPeriod = resolved is { } r && query.InPeriod(r);
                var overdue = counted && resolution is null && ProcessingQuery.OpenStates.Contains(d.State) && d.Deadline < query.Today;
                if (!counted && !resolvedInPeriod)
                {
                    continue;
                }
                var key = (d.Unit, d.PermitType);
                var g = groups.TryGetValue(key, out var existing) ? existing : (Received: 0, Resolved: 0, OnTime: 0, Overdue: 0, Days: new List<int>());
                g.Received += counted ? 1 : 0;
                g.Overdue += overdue ? 1 : 0;
                if (resolvedInPeriod)
                {
                    g.Resolved++;
                    g.OnTime += resolved <= d.Deadline ? 1 : 0;
                    g.Days.Add(query.Days.Between(received, resolved!.Value));
                }
                groups[key] = g;
            }
        }
        return Task.FromResult<IReadOnlyList<ProcessingRow>>([.. groups
            .Select(g => new ProcessingRow(g.Key.Ward, g.Key.Procedure, g.Value.Received, g.Value.Resolved, g.Value.OnTime,
                g.Value.Overdue, ProcessingQuery.Median(g.Value.Days)))]);
    }
}

/// <summary>The audit entries of permit events and applicant declarations (no personal data: applicants by id).</summary>
internal static class PermitAudit
{
    public static AuditDraft Event(PermitEventRecord evt) => new(
        evt.At, evt.ActorSubject, evt.ActorRole, $"permit.{evt.Action}", evt.Number,
        new Dictionary<string, string?>
        {
            ["seq"] = evt.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["from"] = evt.FromState,
            ["to"] = evt.ToState,
            ["reason"] = evt.Reason,
        });

    /// <summary>A profile's first version is "declared", a later one "updated" (a new version: nothing is overwritten).</summary>
    public static AuditDraft Applicant(long id, int version, string actorSubject, string actorRole, DateTimeOffset at) => new(
        at, actorSubject, actorRole, version == 1 ? "applicant.declared" : "applicant.updated",
        $"applicant:{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        new Dictionary<string, string?> { ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
