using HcmCity.Abstractions.Permits;
using HcmCity.Permits.Calendar;
using HcmCity.Permits.Dossiers;
using HcmCity.Testing;
using HcmCity.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HcmCity.Permits.Tests.Dossiers;

/// <summary>
/// The dossier grain in an in-process Orleans cluster with in-memory reminders: the statutory clock across Tết 2026,
/// the deficiency notice stopping it, and reminders that warn and flag overdue as a fake clock moves (the reminders
/// themselves tick every second of real time; nothing waits for days).
/// </summary>
public sealed class PermitGrainTests : IAsyncLifetime
{
    private const string Unit = "26743";

    private static readonly PermitActor Officer = new("officer-1", "officer", Unit);

    private static readonly PermitActor Applicant = new("citizen-1", "citizen");

    /// <summary>Tuesday 10 February 2026, 09:00 in Ho Chi Minh City: a week before Tết Bính Ngọ.</summary>
    private static readonly DateTimeOffset Tuesday = new(2026, 2, 10, 9, 0, 0, TimeSpan.FromHours(7));

    private readonly FakeTimeProvider _time = new(Tuesday);
    private readonly InMemoryPermitRepository _repository = new(new InMemoryAuditTrail());
    private InProcessTestCluster _cluster = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var clock = new PermitClock(VietnamWorkingCalendar.Default, _time,
            Options.Create(new PermitOptions { CheckInterval = TimeSpan.FromSeconds(1) }));
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Services.AddSingleton<IPermitRepository>(_repository);
            silo.Services.AddSingleton(clock);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<(string Number, IPermitApplicationGrain Grain, PermitOutcome Outcome)> SubmitAsync()
    {
        var number = "HS-2026-" + Guid.NewGuid().ToString("N")[..8];
        var grain = _cluster.Client.GetGrain<IPermitApplicationGrain>(number);
        var outcome = await grain.SubmitAsync(new PermitSubmission(Unit, 42, "new-construction",
            new PermitSitePlanSummary(3, 12, 0, 6, """{"type":"Polygon","coordinates":[[[0,0],[5,0],[5,15],[0,15],[0,0]]]}""", 9210),
            ApplicantId: 1, new byte[32], Applicant));
        return (number, grain, outcome);
    }

    private async Task<PermitRecord> DossierAsync(string number) => (await _repository.GetAsync(number, Ct))!;

    private async Task<List<string>> ActionsAsync(string number) =>
        [.. (await _repository.GetHistoryAsync(number, Ct)).Select(e => e.Action)];

    [Fact]
    public async Task The_deadline_is_seven_working_days_after_the_tet_break()
    {
        var (number, _, outcome) = await SubmitAsync();

        Assert.True(outcome.Accepted);
        Assert.Equal(PermitState.Submitted, outcome.State);
        Assert.Equal(new DateOnly(2026, 2, 26), outcome.Deadline);
        Assert.Equal(7, new PermitClock(VietnamWorkingCalendar.Default, _time, Options.Create(new PermitOptions())).DaysLeft(outcome.Deadline!.Value));
        Assert.Equal(["submit"], await ActionsAsync(number));
    }

    [Fact]
    public async Task Reminders_warn_one_working_day_before_and_flag_overdue_after_the_deadline_day()
    {
        var (number, _, _) = await SubmitAsync();

        _time.SetUtcNow(new DateTimeOffset(2026, 2, 24, 17, 0, 0, TimeSpan.FromHours(7)));
        var early = await DossierAsync(number);
        _time.SetUtcNow(new DateTimeOffset(2026, 2, 25, 8, 0, 0, TimeSpan.FromHours(7)));
        await Eventually.TrueAsync(() => _repository.GetAsync(number).Result!.Warned);
        var warned = await DossierAsync(number);
        _time.SetUtcNow(new DateTimeOffset(2026, 2, 27, 0, 5, 0, TimeSpan.FromHours(7)));
        await Eventually.TrueAsync(() => _repository.GetAsync(number).Result!.Overdue);

        Assert.False(early.Warned);
        Assert.False(warned.Overdue);
        var history = await _repository.GetHistoryAsync(number, Ct);
        Assert.Equal(["submit", PermitApplicationGrain.WarningAction, PermitApplicationGrain.OverdueAction], history.Select(e => e.Action));
        Assert.All(history.Skip(1), e => Assert.Equal(("system", "submitted", "submitted"), (e.ActorRole, e.FromState, e.ToState)));
        Assert.Contains("2026-02-26", history[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deficiency_notice_stops_the_clock_and_supplementation_restarts_it_in_full()
    {
        var (number, grain, _) = await SubmitAsync();
        await grain.TransitionAsync(new PermitCommand(PermitAction.StartAppraisal, Officer, null));

        var notified = await grain.TransitionAsync(new PermitCommand(PermitAction.NotifyDeficiency, Officer, "Thiếu bản vẽ mặt cắt"));
        _time.SetUtcNow(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(7)));
        var supplemented = await grain.TransitionAsync(new PermitCommand(PermitAction.Supplement, Applicant, null));
        var second = await grain.TransitionAsync(new PermitCommand(PermitAction.NotifyDeficiency, Officer, "Thiếu nữa"));

        Assert.Equal((PermitState.DeficiencyNotified, (DateOnly?)null), (notified.State, notified.Deadline));
        Assert.Equal((PermitState.Supplemented, (DateOnly?)new DateOnly(2026, 3, 11)), (supplemented.State, supplemented.Deadline));
        Assert.Equal(PermitRejectionKind.Conflict, second.Rejection?.Kind);
        Assert.False((await DossierAsync(number)).Overdue);
        Assert.Equal(["submit", "start-appraisal", "notify-deficiency", "supplement"], await ActionsAsync(number));
    }

    [Fact]
    public async Task A_decided_dossier_is_never_flagged_overdue()
    {
        var (open, _, _) = await SubmitAsync();
        var (decided, grain, _) = await SubmitAsync();
        await grain.TransitionAsync(new PermitCommand(PermitAction.StartAppraisal, Officer, null));
        var approved = await grain.TransitionAsync(new PermitCommand(PermitAction.Approve, Officer, "Đủ điều kiện"));

        _time.SetUtcNow(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(7)));
        await Eventually.TrueAsync(() => _repository.GetAsync(open).Result!.Overdue);
        // The open dossier's reminder has fired past the deadline; the decided one had its reminder removed.
        var reminders = _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress).GetRequiredService<global::Orleans.IReminderTable>();
        var rows = await reminders.ReadRows(_cluster.Client.GetGrain<IPermitApplicationGrain>(decided).GetGrainId(), Ct);

        Assert.Equal(PermitState.Approved, approved.State);
        Assert.False((await DossierAsync(decided)).Overdue);
        Assert.Empty(rows.Reminders);
        Assert.Equal(["submit", "start-appraisal", "approve"], await ActionsAsync(decided));
    }

    [Fact]
    public async Task Commands_are_judged_by_the_workflow_and_refusals_leave_no_trace()
    {
        var (number, grain, _) = await SubmitAsync();

        var byApplicant = await grain.TransitionAsync(new PermitCommand(PermitAction.Approve, Applicant, null));
        var tooEarly = await grain.TransitionAsync(new PermitCommand(PermitAction.Approve, Officer, null));
        var resubmitted = (await grain.SubmitAsync(new PermitSubmission(Unit, 1, "relocation",
            new PermitSitePlanSummary(1, 3, 0, 4, "{}", 9210), 1, new byte[32], Applicant))).Rejection;
        var unknown = await _cluster.Client.GetGrain<IPermitApplicationGrain>("HS-2026-none").TransitionAsync(
            new PermitCommand(PermitAction.Withdraw, Applicant, null));

        Assert.Equal(PermitRejectionKind.Forbidden, byApplicant.Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Conflict, tooEarly.Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Conflict, resubmitted?.Kind);
        Assert.Equal(PermitRejectionKind.NotFound, unknown.Rejection?.Kind);
        Assert.Equal(["submit"], await ActionsAsync(number));
    }

    /// <summary>A dossier approved and its e-permit recorded, to commence by Tuesday 31 March 2026.</summary>
    private async Task<(string Number, IPermitApplicationGrain Grain)> ApprovedAsync(bool issued = true)
    {
        var (number, grain, _) = await SubmitAsync();
        await grain.TransitionAsync(new PermitCommand(PermitAction.StartAppraisal, Officer, null));
        await grain.TransitionAsync(new PermitCommand(PermitAction.Approve, Officer, null));
        if (issued)
        {
            Assert.True((await grain.RecordIssuedPermitAsync("GP-26743-2026-000001", StartBy, Officer)).Accepted);
        }
        return (number, grain);
    }

    private static readonly DateOnly StartBy = new(2026, 3, 31);

    private async Task<IReadOnlyList<string>> RemindersAsync(string number)
    {
        var reminders = _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress).GetRequiredService<global::Orleans.IReminderTable>();
        var rows = await reminders.ReadRows(_cluster.Client.GetGrain<IPermitApplicationGrain>(number).GetGrainId(), Ct);
        return [.. rows.Reminders.Select(r => r.ReminderName)];
    }

    [Fact]
    public async Task An_approved_permit_expires_by_the_system_once_its_start_by_day_has_ended_and_cannot_then_commence()
    {
        var (number, grain) = await ApprovedAsync();
        var waiting = await RemindersAsync(number);

        _time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 0, 5, 0, TimeSpan.FromHours(7)));
        await Eventually.TrueAsync(() => _repository.GetAsync(number).Result!.State == "expired");
        var late = await grain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, null, new DateOnly(2026, 4, 2)));

        Assert.Contains(PermitApplicationGrain.StartByReminder, waiting);
        var expired = (await _repository.GetHistoryAsync(number, Ct))[^1];
        Assert.Equal(("expire", "system", "approved", "expired"), (expired.Action, expired.ActorRole, expired.FromState, expired.ToState));
        Assert.Contains("2026-03-31", expired.Reason, StringComparison.Ordinal);
        Assert.Equal((PermitState.Expired, PermitRejectionKind.Conflict), (late.State, late.Rejection?.Kind));
        Assert.Empty(await RemindersAsync(number));
    }

    [Fact]
    public async Task On_the_start_by_day_itself_the_holder_may_still_commence_and_the_day_after_is_refused()
    {
        var (onTime, onTimeGrain) = await ApprovedAsync();
        var (late, lateGrain) = await ApprovedAsync();

        _time.SetUtcNow(new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.FromHours(7)));
        var commenced = await onTimeGrain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, null, StartBy));
        // The day after, before any reminder has fired, the grain refuses by the date alone.
        _time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 0, 0, 1, TimeSpan.FromHours(7)));
        var refused = await lateGrain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, null, new DateOnly(2026, 4, 1)));

        Assert.Equal(PermitState.Commenced, commenced.State);
        Assert.True(commenced.Accepted);
        Assert.Equal(PermitRejectionKind.Conflict, refused.Rejection?.Kind);
        Assert.Equal("commenced", (await DossierAsync(onTime)).State);
        Assert.NotEqual("commenced", (await DossierAsync(late)).State);
    }

    [Fact]
    public async Task Commencement_needs_the_issued_permit_and_a_planned_start_from_today_to_the_start_by_date()
    {
        var (unissued, unissuedGrain) = await ApprovedAsync(issued: false);
        var (number, grain) = await ApprovedAsync();

        var noPermit = await unissuedGrain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, null, new DateOnly(2026, 2, 20)));
        var noDate = await grain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, null));
        var past = await grain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, null, new DateOnly(2026, 2, 9)));
        var afterStartBy = await grain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, null, new DateOnly(2026, 4, 1)));
        var commenced = await grain.TransitionAsync(new PermitCommand(PermitAction.Commence, Applicant, "Đã báo UBND phường", new DateOnly(2026, 2, 20)));
        _time.SetUtcNow(new DateTimeOffset(2026, 4, 2, 9, 0, 0, TimeSpan.FromHours(7)));
        var suspended = await grain.TransitionAsync(new PermitCommand(PermitAction.Suspend, Officer, "Vượt ngưỡng ồn ban đêm"));
        var resumed = await grain.TransitionAsync(new PermitCommand(PermitAction.Resume, Officer, "Đã khắc phục"));
        var completed = await grain.TransitionAsync(new PermitCommand(PermitAction.Complete, Officer, null));

        Assert.Equal(PermitRejectionKind.Conflict, noPermit.Rejection?.Kind);
        Assert.Equal((PermitRejectionKind.Invalid, "plannedStart"), (noDate.Rejection?.Kind, noDate.Rejection?.Field));
        Assert.Equal((PermitRejectionKind.Invalid, "plannedStart"), (past.Rejection?.Kind, past.Rejection?.Field));
        Assert.Equal((PermitRejectionKind.Invalid, "plannedStart"), (afterStartBy.Rejection?.Kind, afterStartBy.Rejection?.Field));
        Assert.Equal([PermitState.Commenced, PermitState.Suspended, PermitState.Commenced, PermitState.Completed],
            new[] { commenced, suspended, resumed, completed }.Select(o => o.State));
        Assert.Equal(new DateOnly(2026, 2, 20), (await DossierAsync(number)).PlannedStart);
        var history = await _repository.GetHistoryAsync(number, Ct);
        Assert.Equal(["submit", "start-appraisal", "approve", "issue-permit", "commence", "suspend", "resume", "complete"], history.Select(e => e.Action));
        Assert.Equal("Ngày khởi công dự kiến / planned start 2026-02-20: Đã báo UBND phường", history[4].Reason);
        // Commenced in time: the start-by reminder is gone, and nothing expires the permit after the date.
        Assert.Empty(await RemindersAsync(number));
        Assert.Equal("completed", (await DossierAsync(number)).State);
        Assert.Equal(["submit", "start-appraisal", "approve"], await ActionsAsync(unissued));
    }
}
