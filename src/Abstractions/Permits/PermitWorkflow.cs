namespace HcmCity.Abstractions.Permits;

/// <summary>States of a construction-permit dossier (hồ sơ cấp giấy phép xây dựng).</summary>
public enum PermitState
{
    /// <summary>Đã tiếp nhận: received, assumed complete, statutory clock running.</summary>
    Submitted,

    /// <summary>Đang thẩm định: an officer is appraising it (3 working days for houses, Decree 217/2026).</summary>
    Appraisal,

    /// <summary>Đã thông báo bổ sung: the one deficiency notice was sent; the clock stops until the applicant supplements.</summary>
    DeficiencyNotified,

    /// <summary>Đã bổ sung: complete again, the clock restarts from the supplementation.</summary>
    Supplemented,

    /// <summary>Đã cấp phép.</summary>
    Approved,

    /// <summary>Từ chối (with written grounds).</summary>
    Refused,

    /// <summary>Rút hồ sơ by the applicant.</summary>
    Withdrawn,

    /// <summary>Đã khởi công: the holder's commencement notice (thông báo khởi công) was filed.</summary>
    Commenced,

    /// <summary>Đình chỉ thi công: an officer stopped the work; resumed by an officer's decision.</summary>
    Suspended,

    /// <summary>Hoàn công: construction completed.</summary>
    Completed,

    /// <summary>Hết hiệu lực: the start-by date passed with no commencement.</summary>
    Expired,
}

/// <summary>What an actor asks a dossier to do.</summary>
public enum PermitAction
{
    StartAppraisal,
    NotifyDeficiency,
    Supplement,
    Approve,
    Refuse,
    Withdraw,
    Commence,
    Suspend,
    Resume,
    Complete,
    Expire,
}

public enum PermitRejectionKind
{
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

/// <summary>Why a command was not applied; <see cref="Field"/> names the input at fault for <see cref="PermitRejectionKind.Invalid"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record PermitRejection(
    [property: Id(0)] PermitRejectionKind Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] string? Field = null);

/// <summary>Who acts: token subject, role and (for officers) administrative unit.</summary>
[GenerateSerializer, Immutable]
public sealed record PermitActor(
    [property: Id(0)] string Subject,
    [property: Id(1)] string Role,
    [property: Id(2)] string? Unit = null)
{
    /// <summary>The deadline reminders act as the system.</summary>
    public static PermitActor System { get; } = new("system", "system");
}

/// <summary>What the workflow needs to know of a dossier to judge a command.</summary>
public sealed record PermitSnapshot(PermitState State, bool DeficiencyNotified, string Unit, string ApplicantSubject);

/// <summary>
/// The dossier state machine, pure: submitted → appraisal → deficiency notice (at most once) → supplemented →
/// approved | refused, and withdrawn from any open state; then the construction phase: approved → commenced (the
/// holder's notice) ⇄ suspended (an officer's decision, resumed by another) → completed, or approved → expired when
/// the start-by date passes with no commencement (the system). Officers of the dossier's unit appraise, decide,
/// suspend, resume and record completion; the applicant (the subject who submitted) supplements, withdraws and
/// files the commencement notice.
/// </summary>
public static class PermitWorkflow
{
    public const string OfficerRole = "officer";

    private static readonly Dictionary<PermitState, string> StateNames = new()
    {
        [PermitState.Submitted] = "submitted",
        [PermitState.Appraisal] = "appraisal",
        [PermitState.DeficiencyNotified] = "deficiency-notified",
        [PermitState.Supplemented] = "supplemented",
        [PermitState.Approved] = "approved",
        [PermitState.Refused] = "refused",
        [PermitState.Withdrawn] = "withdrawn",
        [PermitState.Commenced] = "commenced",
        [PermitState.Suspended] = "suspended",
        [PermitState.Completed] = "completed",
        [PermitState.Expired] = "expired",
    };

    private static readonly Dictionary<PermitAction, string> ActionNames = new()
    {
        [PermitAction.StartAppraisal] = "start-appraisal",
        [PermitAction.NotifyDeficiency] = "notify-deficiency",
        [PermitAction.Supplement] = "supplement",
        [PermitAction.Approve] = "approve",
        [PermitAction.Refuse] = "refuse",
        [PermitAction.Withdraw] = "withdraw",
        [PermitAction.Commence] = "commence",
        [PermitAction.Suspend] = "suspend",
        [PermitAction.Resume] = "resume",
        [PermitAction.Complete] = "complete",
        [PermitAction.Expire] = "expire",
    };

    /// <summary>Legal moves by state. Deficiency notice only from appraisal, and only once (Decree 217/2026).</summary>
    private static readonly Dictionary<(PermitState, PermitAction), PermitState> Moves = new()
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

    public static IReadOnlyCollection<string> StateWireNames => StateNames.Values;

    public static IReadOnlyCollection<string> ActionWireNames => ActionNames.Values;

    public static string Name(PermitState state) => StateNames[state];

    public static string Name(PermitAction action) => ActionNames[action];

    public static bool TryParseState(string? name, out PermitState state)
    {
        foreach (var (key, value) in StateNames)
        {
            if (string.Equals(value, name, StringComparison.Ordinal))
            {
                state = key;
                return true;
            }
        }
        state = default;
        return false;
    }

    public static bool TryParseAction(string? name, out PermitAction action)
    {
        foreach (var (key, value) in ActionNames)
        {
            if (string.Equals(value, name, StringComparison.Ordinal))
            {
                action = key;
                return true;
            }
        }
        action = default;
        return false;
    }

    /// <summary>Whether the statutory clock runs in this state (it stops while the applicant supplements).</summary>
    public static bool ClockRuns(PermitState state) => state is PermitState.Submitted or PermitState.Appraisal or PermitState.Supplemented;

    public static bool IsOfficerAction(PermitAction action) =>
        action is not (PermitAction.Supplement or PermitAction.Withdraw or PermitAction.Commence or PermitAction.Expire);

    /// <summary>Only the system expires a permit, when its start-by date has passed.</summary>
    public static bool IsSystemAction(PermitAction action) => action == PermitAction.Expire;

    /// <summary>The construction phase: the dossier holds an issued permit that may be relied on or acted upon.</summary>
    public static bool InConstructionPhase(PermitState state) =>
        state is PermitState.Approved or PermitState.Commenced or PermitState.Suspended or PermitState.Completed or PermitState.Expired;

    /// <summary>The next state, or why the command is refused: who may act first, then whether the state allows it.</summary>
    public static (PermitState Next, PermitRejection? Rejection) Decide(PermitSnapshot dossier, PermitAction action, PermitActor actor, string? reason)
    {
        if (IsSystemAction(action))
        {
            if (actor.Role != PermitActor.System.Role)
            {
                return (dossier.State, new(PermitRejectionKind.Forbidden, $"Only the platform may {Name(action)} a permit."));
            }
        }
        else if (IsOfficerAction(action))
        {
            if (actor.Role != OfficerRole || !string.Equals(actor.Unit, dossier.Unit, StringComparison.Ordinal))
            {
                return (dossier.State, new(PermitRejectionKind.Forbidden,
                    $"Only an officer of unit {dossier.Unit} may {Name(action)} this dossier."));
            }
        }
        else if (!string.Equals(actor.Subject, dossier.ApplicantSubject, StringComparison.Ordinal))
        {
            return (dossier.State, new(PermitRejectionKind.Forbidden, $"Only the applicant may {Name(action)} this dossier."));
        }

        if (action == PermitAction.NotifyDeficiency && dossier.DeficiencyNotified)
        {
            return (dossier.State, new(PermitRejectionKind.Conflict,
                "A deficiency notice was already sent for this dossier; Decree 217/2026 allows it only once."));
        }

        if (!Moves.TryGetValue((dossier.State, action), out var next))
        {
            return (dossier.State, new(PermitRejectionKind.Conflict,
                $"Cannot {Name(action)} a dossier that is {Name(dossier.State)}."));
        }

        // A deficiency notice must say what is missing, a refusal must state its grounds in writing, and so must a
        // suspension of the works and its lifting (đình chỉ thi công is an administrative decision).
        if (action is (PermitAction.NotifyDeficiency or PermitAction.Refuse or PermitAction.Suspend or PermitAction.Resume)
            && string.IsNullOrWhiteSpace(reason))
        {
            return (dossier.State, new(PermitRejectionKind.Invalid, $"A reason is required to {Name(action)}.", "reason"));
        }

        return (next, null);
    }
}
