using HcmCity.Testing;
using HcmCity.Abstractions.Permits;

namespace HcmCity.Permits.Tests.Dossiers;

/// <summary>The dossier state machine, every state against every action, as a pure function.</summary>
public sealed class PermitWorkflowTests
{
    private const string Unit = "26743";

    private static readonly PermitActor Officer = new("officer-1", "officer", Unit);

    private static readonly PermitActor Applicant = new("citizen-1", "citizen");

    /// <summary>The legal moves of the issue: anything not listed here must be refused with a conflict.</summary>
    private static readonly Dictionary<(PermitState, PermitAction), PermitState> Legal = new()
    {
        [(PermitState.Submitted, PermitAction.StartAppraisal)] = PermitState.Appraisal,
        [(PermitState.Submitted, PermitAction.Withdraw)] = PermitState.Withdrawn,
        [(PermitState.Appraisal, PermitAction.NotifyDeficiency)] = PermitState.DeficiencyNotified,
        [(PermitState.Appraisal, PermitAction.Approve)] = PermitState.Approved,
        [(PermitState.Appraisal, PermitAction.Refuse)] = PermitState.Refused,
        [(PermitState.Appraisal, PermitAction.Withdraw)] = PermitState.Withdrawn,
        [(PermitState.DeficiencyNotified, PermitAction.Supplement)] = PermitState.Supplemented,
        [(PermitState.DeficiencyNotified, PermitAction.Withdraw)] = PermitState.Withdrawn,
        [(PermitState.Supplemented, PermitAction.Approve)] = PermitState.Approved,
        [(PermitState.Supplemented, PermitAction.Refuse)] = PermitState.Refused,
        [(PermitState.Supplemented, PermitAction.Withdraw)] = PermitState.Withdrawn,
        [(PermitState.Approved, PermitAction.Commence)] = PermitState.Commenced,
        [(PermitState.Approved, PermitAction.Expire)] = PermitState.Expired,
        [(PermitState.Commenced, PermitAction.Suspend)] = PermitState.Suspended,
        [(PermitState.Commenced, PermitAction.Complete)] = PermitState.Completed,
        [(PermitState.Suspended, PermitAction.Resume)] = PermitState.Commenced,
    };

    public static TheoryData<PermitState, PermitAction> AllPairs()
    {
        var data = new TheoryData<PermitState, PermitAction>();
        foreach (var state in Enum.GetValues<PermitState>())
        {
            foreach (var action in Enum.GetValues<PermitAction>())
            {
                data.Add(state, action);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_state_allows_exactly_its_legal_actions_by_the_right_actor(PermitState state, PermitAction action)
    {
        var dossier = new PermitSnapshot(state, DeficiencyNotified: state is PermitState.DeficiencyNotified or PermitState.Supplemented, Unit, Applicant.Subject);
        var actor = PermitWorkflow.IsSystemAction(action) ? PermitActor.System : PermitWorkflow.IsOfficerAction(action) ? Officer : Applicant;

        var (next, rejection) = PermitWorkflow.Decide(dossier, action, actor, "lý do");

        if (Legal.TryGetValue((state, action), out var expected))
        {
            Assert.Null(rejection);
            Assert.Equal(expected, next);
        }
        else
        {
            Assert.NotNull(rejection);
            Assert.Equal(PermitRejectionKind.Conflict, rejection.Kind);
            Assert.Equal(state, next);
        }
    }

    [Fact]
    public void A_second_deficiency_notice_is_refused_citing_the_once_rule()
    {
        var (_, rejection) = PermitWorkflow.Decide(
            new PermitSnapshot(PermitState.Supplemented, true, Unit, Applicant.Subject), PermitAction.NotifyDeficiency, Officer, "thiếu bản vẽ");

        Assert.Equal(PermitRejectionKind.Conflict, rejection?.Kind);
        Assert.Contains("only once", rejection!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PermitAction.StartAppraisal)]
    [InlineData(PermitAction.Approve)]
    [InlineData(PermitAction.Refuse)]
    [InlineData(PermitAction.NotifyDeficiency)]
    public void Officer_actions_are_forbidden_to_the_applicant_and_to_officers_of_another_unit(PermitAction action)
    {
        var dossier = new PermitSnapshot(PermitState.Appraisal, false, Unit, Applicant.Subject);

        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, Applicant, "x").Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, Officer with { Unit = "26734" }, "x").Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, new PermitActor("x", "inspector", Unit), "x").Rejection?.Kind);
    }

    [Theory]
    [InlineData(PermitAction.Suspend, PermitState.Commenced)]
    [InlineData(PermitAction.Resume, PermitState.Suspended)]
    [InlineData(PermitAction.Complete, PermitState.Commenced)]
    public void Construction_decisions_are_forbidden_to_the_holder_and_to_officers_of_another_unit(PermitAction action, PermitState state)
    {
        var dossier = new PermitSnapshot(state, false, Unit, Applicant.Subject);

        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, Applicant, "x").Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, Officer with { Unit = "26734" }, "x").Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, new PermitActor("x", "inspector", Unit), "x").Rejection?.Kind);
        Assert.Null(PermitWorkflow.Decide(dossier, action, Officer, "x").Rejection);
    }

    [Fact]
    public void Only_the_platform_expires_a_permit_and_only_the_holder_files_the_commencement_notice()
    {
        var approved = new PermitSnapshot(PermitState.Approved, false, Unit, Applicant.Subject);

        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(approved, PermitAction.Expire, Officer, null).Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(approved, PermitAction.Expire, Applicant, null).Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(approved, PermitAction.Commence, Officer, null).Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden,
            PermitWorkflow.Decide(approved, PermitAction.Commence, new PermitActor("citizen-2", "citizen"), null).Rejection?.Kind);
        Assert.Equal(PermitState.Expired, PermitWorkflow.Decide(approved, PermitAction.Expire, PermitActor.System, null).Next);
        Assert.Equal(PermitState.Commenced, PermitWorkflow.Decide(approved, PermitAction.Commence, Applicant, null).Next);
    }

    [Theory]
    [InlineData(PermitAction.Supplement)]
    [InlineData(PermitAction.Withdraw)]
    public void Applicant_actions_are_forbidden_to_anyone_but_the_applicant_even_an_officer(PermitAction action)
    {
        var dossier = new PermitSnapshot(PermitState.DeficiencyNotified, true, Unit, Applicant.Subject);

        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, Officer, null).Rejection?.Kind);
        Assert.Equal(PermitRejectionKind.Forbidden, PermitWorkflow.Decide(dossier, action, new PermitActor("citizen-2", "citizen"), null).Rejection?.Kind);
        Assert.Null(PermitWorkflow.Decide(dossier, action, Applicant, null).Rejection);
    }

    [Theory]
    [InlineData(PermitAction.NotifyDeficiency, null, PermitState.Appraisal)]
    [InlineData(PermitAction.Refuse, "  ", PermitState.Appraisal)]
    [InlineData(PermitAction.Suspend, null, PermitState.Commenced)]
    [InlineData(PermitAction.Resume, " ", PermitState.Suspended)]
    public void Deficiency_notice_refusal_suspension_and_resumption_need_a_reason(PermitAction action, string? reason, PermitState state)
    {
        var (next, rejection) = PermitWorkflow.Decide(new PermitSnapshot(state, false, Unit, Applicant.Subject), action, Officer, reason);

        Assert.Equal(state, next);
        Assert.Equal(PermitRejectionKind.Invalid, rejection?.Kind);
        Assert.Equal("reason", rejection?.Field);
    }

    [Fact]
    public void Wire_names_round_trip_for_every_state_and_action()
    {
        foreach (var state in Enum.GetValues<PermitState>())
        {
            Assert.True(PermitWorkflow.TryParseState(PermitWorkflow.Name(state), out var parsed));
            Assert.Equal(state, parsed);
        }
        foreach (var action in Enum.GetValues<PermitAction>())
        {
            Assert.True(PermitWorkflow.TryParseAction(PermitWorkflow.Name(action), out var parsed));
            Assert.Equal(action, parsed);
        }
        Assert.False(PermitWorkflow.TryParseAction("Approve", out _));
    }
}
