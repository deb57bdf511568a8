namespace HcmCity.Abstractions.Permits;

/// <summary>
/// One construction-permit dossier (hồ sơ), keyed by its dossier number, e.g. "HS-2026-000123". Owns the state
/// machine of <see cref="PermitWorkflow"/>, writes every transition with an audit entry, and keeps the statutory
/// clock with reminders (warning one working day before the deadline, overdue flag after it).
/// </summary>
public interface IPermitApplicationGrain : IGrainWithStringKey
{
    /// <summary>Records a new dossier; rejected with <see cref="PermitRejectionKind.Conflict"/> when the number is taken.</summary>
    Task<PermitOutcome> SubmitAsync(PermitSubmission submission);

    Task<PermitOutcome> TransitionAsync(PermitCommand command);

    /// <summary>
    /// Records the e-permit issued for an approved dossier (số giấy phép), as a history entry, and its start-by date:
    /// the permit expires when that day ends with no commencement notice.
    /// </summary>
    Task<PermitOutcome> RecordIssuedPermitAsync(string permitNumber, DateOnly startBy, PermitActor actor);
}

/// <summary>Site plan summary (what is new in the dossier); the footprint is GeoJSON in the parcel's VN-2000 CRS.</summary>
[GenerateSerializer, Immutable]
public sealed record PermitSitePlanSummary(
    [property: Id(0)] int Floors,
    [property: Id(1)] double Height,
    [property: Id(2)] int Basements,
    [property: Id(3)] double RoadWidth,
    [property: Id(4)] string FootprintGeoJson,
    [property: Id(5)] int Srid);

/// <param name="ApplicantId">The applicant profile declared once and reused ("declare once"); never the CCCD itself.</param>
/// <param name="TrackingSecretHash">SHA-256 of the tracking secret shown once to the applicant.</param>
[GenerateSerializer, Immutable]
public sealed record PermitSubmission(
    [property: Id(0)] string Unit,
    [property: Id(1)] long ParcelId,
    [property: Id(2)] string PermitType,
    [property: Id(3)] PermitSitePlanSummary SitePlan,
    [property: Id(4)] long ApplicantId,
    [property: Id(5)] byte[] TrackingSecretHash,
    [property: Id(6)] PermitActor SubmittedBy);

/// <param name="PlannedStart">The commencement notice's planned start date (Vietnam date); only for <see cref="PermitAction.Commence"/>.</param>
[GenerateSerializer, Immutable]
public sealed record PermitCommand(
    [property: Id(0)] PermitAction Action,
    [property: Id(1)] PermitActor Actor,
    [property: Id(2)] string? Reason,
    [property: Id(3)] DateOnly? PlannedStart = null);

/// <summary>The dossier's state after a command, or why the command was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record PermitOutcome(
    [property: Id(0)] PermitState State,
    [property: Id(1)] DateOnly? Deadline,
    [property: Id(2)] PermitRejection? Rejection)
{
    public bool Accepted => Rejection is null;
}
