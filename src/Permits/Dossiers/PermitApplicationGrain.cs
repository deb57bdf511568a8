using HcmCity.Abstractions.Permits;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace HcmCity.Permits.Dossiers;

/// <summary>
/// One dossier's state machine and statutory clock. The dossier lives in <see cref="IPermitRepository"/> (PostgreSQL,
/// where each event commits with its audit entry), not in grain storage: one system of record, read at activation.
/// A reminder checks the clock: a warning event when <see cref="PermitOptions.WarningWorkingDays"/> are left, an
/// overdue flag once the deadline day has ended. After approval a second reminder expires the permit when its
/// start-by date ends with no commencement notice.
/// </summary>
public sealed class PermitApplicationGrain(
    IPermitRepository repository,
    PermitClock clock,
    ILogger<PermitApplicationGrain> logger) : Grain, IPermitApplicationGrain, IRemindable
{
    public const string DeadlineReminder = "statutory-deadline";

    public const string StartByReminder = "start-by";

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
        if (rejection is null && command.Action == PermitAction.Commence)
        {
            rejection = CheckCommencement(dossier, command.PlannedStart);
        }
        if (rejection is not null)
        {
            return new PermitOutcome(current, dossier.Deadline, rejection);
        }

        var now = clock.Now;
        var updated = dossier with { State = PermitWorkflow.Name(next), Version = dossier.Version + 1, UpdatedAt = now };
        var reason = command.Reason;
        if (command.Action == PermitAction.NotifyDeficiency)
        {
            // The clock stops while the applicant supplements; it restarts in full from the complete dossier.
            updated = updated with { DeficiencyNotified = true, CompleteAt = null, Deadline = null, Warned = false, Overdue = false };
        }
        else if (command.Action == PermitAction.Supplement)
        {
            updated = updated with { CompleteAt = now, Deadline = clock.Deadline(now), Warned = false, Overdue = false };
        }
        else if (command.Action == PermitAction.Commence)
        {
            // The planned start goes into the history too, where the officer and the citizen tracking the dossier see it.
            var planned = command.PlannedStart!.Value;
            updated = updated with { PlannedStart = planned };
            reason = $"Ngày khởi công dự kiến / planned start {planned:yyyy-MM-dd}" + (string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}");
        }
        await SaveAsync(updated, PermitWorkflow.Name(command.Action), dossier.State, command.Actor, now, reason);
        await ScheduleAsync();
        if (command.Action == PermitAction.Commence)
        {
            await ScheduleStartByAsync();
        }
        return Outcome(updated);
    }

    public async Task<PermitOutcome> RecordIssuedPermitAsync(string permitNumber, DateOnly startBy, PermitActor actor)
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
        await SaveAsync(dossier with { PermitNumber = permitNumber, StartBy = startBy, Version = dossier.Version + 1, UpdatedAt = now },
            IssueAction, dossier.State, actor, now, permitNumber);
        await ScheduleStartByAsync();
        return Outcome(_dossier!);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == StartByReminder)
        {
            await ExpireIfLapsedAsync();
            return;
        }
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

    /// <summary>
    /// A commencement notice needs the issued permit and a planned start from today up to the start-by date; once
    /// that day has ended the permit has lapsed, even before the reminder has marked it expired.
    /// </summary>
    private PermitRejection? CheckCommencement(PermitRecord dossier, DateOnly? plannedStart)
    {
        if (dossier.StartBy is not { } startBy)
        {
            return new(PermitRejectionKind.Conflict, $"Dossier {Number} has no issued e-permit to commence under.");
        }
        var today = clock.Today;
        if (today > startBy)
        {
            return new(PermitRejectionKind.Conflict,
                $"Giấy phép đã hết hạn khởi công ngày {startBy:dd/MM/yyyy} / the permit had to be commenced by {startBy:yyyy-MM-dd}.");
        }
        if (plannedStart is not { } planned)
        {
            return new(PermitRejectionKind.Invalid, "Cần ngày khởi công dự kiến / the planned start date is required.", "plannedStart");
        }
        return planned < today || planned > startBy
            ? new(PermitRejectionKind.Invalid,
                $"Ngày khởi công từ {today:dd/MM/yyyy} đến {startBy:dd/MM/yyyy} / the planned start must be from {today:yyyy-MM-dd} to the start-by date {startBy:yyyy-MM-dd}.",
                "plannedStart")
            : null;
    }

    private async Task ExpireIfLapsedAsync()
    {
        _dossier = await repository.GetAsync(Number);
        if (_dossier is { StartBy: { } startBy } dossier && State(dossier) == PermitState.Approved && clock.Now >= clock.OverdueAt(startBy))
        {
            var now = clock.Now;
            await SaveAsync(dossier with { State = PermitWorkflow.Name(PermitState.Expired), Version = dossier.Version + 1, UpdatedAt = now },
                PermitWorkflow.Name(PermitAction.Expire), dossier.State, PermitActor.System, now,
                $"Không khởi công trước {startBy:dd/MM/yyyy} / not commenced by {startBy:yyyy-MM-dd}.");
            logger.LogInformation("Permit of dossier {Number} expired: not commenced by {StartBy}", Number, startBy);
        }
        await ScheduleStartByAsync();
    }

    /// <summary>One reminder while an approved permit waits for its commencement notice; removed once it is commenced or expired.</summary>
    private async Task ScheduleStartByAsync()
    {
        if (_dossier is { StartBy: { } startBy } dossier && State(dossier) == PermitState.Approved)
        {
            var interval = clock.CheckInterval;
            var due = clock.OverdueAt(startBy) - clock.Now;
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due > interval ? interval : due;
            await this.RegisterOrUpdateReminder(StartByReminder, due, interval);
            return;
        }
        if (await this.GetReminder(StartByReminder) is { } reminder)
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
