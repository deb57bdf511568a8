using HcmCity.Abstractions.Permits;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace HcmCity.Permits.Dossiers;

/// <summary>
/// One dossier's state machine and statutory clock. The dossier lives in <see cref="IPermitRepository"/> (PostgreSQL,
/// where each event commits with its audit entry), not in grain storage: one system of record, read at activation.
/// A reminder checks the clock: a warning event when <see cref="PermitOptions.WarningWorkingDays"/> are left, an
/// overdue flag once the deadline day has ended.
/// </summary>
public sealed class PermitApplicationGrain(
    IPermitRepository repository,
    PermitClock clock,
    ILogger<PermitApplicationGrain> logger) : Grain, IPermitApplicationGrain, IRemindable
{
    public const string DeadlineReminder = "statutory-deadline";

    public const string WarningAction = "deadline-warning";

    public const string OverdueAction = "overdue";

    public const string SubmitAction = "submit";

    public const string IssueAction = "issue-permit";

    private PermitRecord? _dossier;

    private string Number => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _dossier = await repository.GetAsync(Number, cancellationToken);

    public async Task<PermitOutcome> SubmitAsync(PermitSubmission submission)
    {
        if (_dossier is not null)
        {
            return Reject(_dossier, PermitRejectionKind.Conflict, $"Dossier {Number} already exists.");
        }
        var now = clock.Now;
        var state = PermitWorkflow.Name(PermitState.Submitted);
        var plan = submission.SitePlan;
        var dossier = new PermitRecord(
            Number, submission.Unit, submission.ParcelId, submission.PermitType,
            new PermitSitePlan(plan.Floors, plan.Height, plan.Basements, plan.RoadWidth, plan.FootprintGeoJson, plan.Srid),
            submission.ApplicantId, state, submission.SubmittedBy.Subject, submission.SubmittedBy.Role, now,
            CompleteAt: now, Deadline: clock.Deadline(now), DeficiencyNotified: false, Warned: false, Overdue: false,
            PermitNumber: null, submission.TrackingSecretHash, Version: 1, UpdatedAt: now);
        await repository.CreateAsync(dossier, new PermitEventRecord(
            Number, 1, SubmitAction, "", state, submission.SubmittedBy.Subject, submission.SubmittedBy.Role, now, null));
        _dossier = dossier;
        await ScheduleAsync();
        return Outcome(dossier);
    }

    public async Task<PermitOutcome> TransitionAsync(PermitCommand command)
    {
        if (_dossier is not { } dossier)
        {
            return new PermitOutcome(PermitState.Submitted, null, new(PermitRejectionKind.NotFound, $"No dossier {Number}."));
        }
        var current = State(dossier);
        var (next, rejection) = PermitWorkflow.Decide(
            new PermitSnapshot(current, dossier.DeficiencyNotified, dossier.Unit, dossier.SubmittedBy),
            command.Action, command.Actor, command.Reason);
        if (rejection is not null)
        {
            return new PermitOutcome(current, dossier.Deadline, rejection);
        }

        var now = clock.Now;
        var updated = dossier with { State = PermitWorkflow.Name(next), Version = dossier.Version + 1, UpdatedAt = now };
        if (command.Action == PermitAction.NotifyDeficiency)
        {
            // The clock stops while the applicant supplements; it restarts in full from the complete dossier.
            updated = updated with { DeficiencyNotified = true, CompleteAt = null, Deadline = null, Warned = false, Overdue = false };
        }
        else if (command.Action == PermitAction.Supplement)
        {
            updated = updated with { CompleteAt = now, Deadline = clock.Deadline(now), Warned = false, Overdue = false };
        }
        await SaveAsync(updated, PermitWorkflow.Name(command.Action), dossier.State, command.Actor, now, command.Reason);
        await ScheduleAsync();
        return Outcome(updated);
    }

    public async Task<PermitOutcome> RecordIssuedPermitAsync(string permitNumber, PermitActor actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(permitNumber);
        if (_dossier is not { } dossier)
        {
            return new PermitOutcome(PermitState.Submitted, null, new(PermitRejectionKind.NotFound, $"No dossier {Number}."));
        }
        if (State(dossier) != PermitState.Approved || dossier.PermitNumber is not null)
        {
            return Reject(dossier, PermitRejectionKind.Conflict, "An e-permit is recorded once, for an approved dossier.");
        }
        var now = clock.Now;
        await SaveAsync(dossier with { PermitNumber = permitNumber, Version = dossier.Version + 1, UpdatedAt = now },
            IssueAction, dossier.State, actor, now, permitNumber);
        return Outcome(_dossier!);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineReminder)
        {
            return;
        }
        _dossier = await repository.GetAsync(Number);
        if (_dossier is { Deadline: { } deadline } dossier && PermitWorkflow.ClockRuns(State(dossier)))
        {
            var now = clock.Now;
            if (!dossier.Overdue && now >= clock.OverdueAt(deadline))
            {
                await SaveAsync(dossier with { Overdue = true, Warned = true, Version = dossier.Version + 1, UpdatedAt = now },
                    OverdueAction, dossier.State, PermitActor.System, now, $"Deadline {deadline:yyyy-MM-dd} passed.");
                logger.LogWarning("Dossier {Number} is overdue (deadline {Deadline})", Number, deadline);
            }
            else if (!dossier.Warned && now >= clock.WarnAt(deadline))
            {
                await SaveAsync(dossier with { Warned = true, Version = dossier.Version + 1, UpdatedAt = now },
                    WarningAction, dossier.State, PermitActor.System, now, $"Deadline {deadline:yyyy-MM-dd}: {clock.DaysLeft(deadline)} working day(s) left.");
                logger.LogInformation("Dossier {Number} is due {Deadline}", Number, deadline);
            }
        }
        await ScheduleAsync();
    }

    /// <summary>
    /// Keeps one reminder while there is something left to signal: due at the next warning or overdue instant, but
    /// no later than the check interval. Removed once the dossier is decided, stopped or flagged overdue.
    /// </summary>
    private async Task ScheduleAsync()
    {
        var next = _dossier switch
        {
            { Deadline: { } deadline, Overdue: false } d when PermitWorkflow.ClockRuns(State(d)) =>
                d.Warned ? clock.OverdueAt(deadline) : clock.WarnAt(deadline),
            _ => (DateTimeOffset?)null,
        };
        if (next is { } at)
        {
            var interval = clock.CheckInterval;
            var due = at - clock.Now;
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due > interval ? interval : due;
            await this.RegisterOrUpdateReminder(DeadlineReminder, due, interval);
            return;
        }
        if (await this.GetReminder(DeadlineReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task SaveAsync(PermitRecord updated, string action, string from, PermitActor actor, DateTimeOffset at, string? reason)
    {
        await repository.SaveAsync(updated, new PermitEventRecord(
            Number, updated.Version, action, from, updated.State, actor.Subject, actor.Role, at, reason));
        _dossier = updated;
    }

    private static PermitState State(PermitRecord dossier) =>
        PermitWorkflow.TryParseState(dossier.State, out var state)
            ? state
            : throw new InvalidOperationException($"Dossier {dossier.Number} has an unknown state '{dossier.State}'.");

    private static PermitOutcome Outcome(PermitRecord dossier) => new(State(dossier), dossier.Deadline, null);

    private static PermitOutcome Reject(PermitRecord dossier, PermitRejectionKind kind, string message) =>
        new(State(dossier), dossier.Deadline, new PermitRejection(kind, message));
}
