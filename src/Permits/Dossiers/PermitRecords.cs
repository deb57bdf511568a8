namespace HcmCity.Permits.Dossiers;

/// <summary>
/// One version of an applicant's profile (người đề nghị cấp phép), declared once and reused by the same person's
/// later dossiers ("declare once"); never changed in place: a change is the owner's next version, and a dossier keeps
/// the version it was filed with. RESTRICTED personal data: stored apart (schema restricted), never logged, never
/// returned except to its owner or to an officer handling the dossier.
/// </summary>
/// <param name="CitizenId">Số CCCD, 12 digits.</param>
/// <param name="OwnerSubject">Token subject of the citizen whose profile it is; null when declared at the counter.</param>
/// <param name="Version">1 for the owner's first declaration, then one more per change.</param>
public sealed record ApplicantProfile(long Id, string CitizenId, string FullName, string Address, string Phone, string? OwnerSubject, int Version)
{
    /// <summary>A CCCD is 12 digits (Law on Identification 2023).</summary>
    public static bool IsCitizenId(string? value) => value is { Length: 12 } && value.All(char.IsAsciiDigit);

    /// <summary>The same person's data as <paramref name="declaration"/>: nothing to store.</summary>
    public bool Matches(ApplicantDeclaration declaration) =>
        (CitizenId, FullName, Address, Phone) == (declaration.CitizenId, declaration.FullName, declaration.Address, declaration.Phone);
}

/// <summary>What an applicant declares; <paramref name="OwnerSubject"/> as in <see cref="ApplicantProfile"/>.</summary>
public sealed record ApplicantDeclaration(string? OwnerSubject, string CitizenId, string FullName, string Address, string Phone);

/// <summary>The owner's profile on file has another CCCD: an account is linked to one person, once.</summary>
public sealed class ApplicantIdentityException()
    : Exception("The account is linked to another citizen id (CCCD).");

/// <summary>Site plan summary as stored; the footprint is GeoJSON in the parcel's source CRS (<see cref="Srid"/>).</summary>
public sealed record PermitSitePlan(int Floors, double Height, int Basements, double RoadWidth, string FootprintGeoJson, int Srid);

/// <summary>A permit dossier as stored. <see cref="Version"/> counts its recorded events (1 after submission).</summary>
/// <param name="State">Wire name of the state ("submitted", "appraisal", ...).</param>
/// <param name="CompleteAt">When the dossier was last complete (submission or supplementation): the clock's start; null while it is stopped.</param>
/// <param name="Deadline">Last working day of the statutory period, in Vietnam; null while the clock is stopped.</param>
/// <param name="TrackingSecretHash">SHA-256 of the tracking secret given once to the applicant.</param>
/// <param name="StartBy">The issued permit's start-by date (Vietnam): it expires when that day ends with no commencement.</param>
/// <param name="PlannedStart">The planned start date of the holder's commencement notice (thông báo khởi công).</param>
public sealed record PermitRecord(
    string Number,
    string Unit,
    long ParcelId,
    string PermitType,
    PermitSitePlan SitePlan,
    long ApplicantId,
    string State,
    string SubmittedBy,
    string SubmittedRole,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? CompleteAt,
    DateOnly? Deadline,
    bool DeficiencyNotified,
    bool Warned,
    bool Overdue,
    string? PermitNumber,
    byte[] TrackingSecretHash,
    int Version,
    DateTimeOffset UpdatedAt,
    DateOnly? StartBy = null,
    DateOnly? PlannedStart = null);

/// <summary>One recorded event of a dossier (a transition, a deadline warning, an issued permit), with its actor.</summary>
/// <param name="Seq">1 for the submission, then one more per event: equals the dossier's <see cref="PermitRecord.Version"/> after it.</param>
public sealed record PermitEventRecord(
    string Number,
    int Seq,
    string Action,
    string FromState,
    string ToState,
    string ActorSubject,
    string ActorRole,
    DateTimeOffset At,
    string? Reason);

/// <summary>Dossiers of one unit, optionally in one state and/or overdue, newest first.</summary>
public sealed record PermitListQuery(string Unit, string? State = null, bool? Overdue = null, int Limit = 100, int Offset = 0);

/// <summary>The dossier changed since it was read (another writer got there first).</summary>
public sealed class PermitConcurrencyException(string number)
    : Exception($"Dossier {number} was changed concurrently; reload it and retry.");
