using System.Text.Json;

namespace HcmCity.Permits;

/// <summary>Body of <c>POST /api/permits/applications</c>: only what is new; the land document is the parcel on record.</summary>
public sealed record PermitApplicationRequest(long? ParcelId, string? PermitType, SitePlanRequest? SitePlan, ApplicantRequest? Applicant);

/// <param name="Footprint">GeoJSON Polygon in the parcel's VN-2000 CRS (metres).</param>
public sealed record SitePlanRequest(int? Floors, double? Height, int? Basements, double? RoadWidth, JsonElement? Footprint);

/// <summary>
/// The applicant: a citizen whose own profile is on file gives their CCCD alone ("declare once") or what changed; one
/// without a profile, and an officer at the counter, give the whole profile.
/// </summary>
public sealed record ApplicantRequest(string? CitizenId, string? FullName, string? Address, string? Phone);

/// <param name="TrackingSecret">Shown once: with the number it lets the applicant follow the dossier without signing in.</param>
/// <param name="ApplicantOnFile">The signed-in citizen's own profile on file was used (as it was, or as its next version).</param>
public sealed record PermitApplicationCreated(
    string Number, string TrackingSecret, string State, DateOnly? Deadline, int? DaysLeft, bool ApplicantOnFile);

/// <param name="Conditions">With "approve": the site conditions of the e-permit; each one left out takes the national default.</param>
/// <param name="PlannedStart">With "commence": the planned start date, "yyyy-MM-dd" (Vietnam).</param>
public sealed record PermitTransitionRequest(
    string? Action, string? Reason, HcmCity.Permits.Conditions.SiteConditionsRequest? Conditions = null, string? PlannedStart = null);

public sealed record SitePlanResponse(int Floors, double Height, int Basements, double RoadWidth, JsonElement Footprint, string Crs);

/// <summary>Personal data: returned only to officers handling the dossier.</summary>
/// <param name="Version">The version of the profile the dossier was filed with (what is shown).</param>
/// <param name="CurrentVersion">The latest version of the same person's profile.</param>
/// <param name="ProfileChanged">The applicant has changed the profile since this dossier was filed.</param>
public sealed record ApplicantResponse(
    string CitizenId, string FullName, string Address, string Phone, int Version, int CurrentVersion, bool ProfileChanged);

public sealed record PermitEventResponse(int Seq, string Action, string? From, string To, DateTimeOffset At, string ActorRole, string? ActorSubject, string? Reason);

public sealed record PermitSummaryResponse(
    string Number, string Unit, long ParcelId, string PermitType, string State, DateTimeOffset SubmittedAt,
    DateOnly? Deadline, int? DaysLeft, bool Overdue, bool Warned, string? PermitNumber);

/// <summary>An officer's view of a dossier: the land record id, the plan, the applicant and the whole history.</summary>
public sealed record PermitApplicationResponse(
    string Number, string Unit, long ParcelId, string PermitType, SitePlanResponse SitePlan, string State,
    DateTimeOffset SubmittedAt, DateOnly? Deadline, int? DaysLeft, bool Overdue, bool Warned, bool DeficiencyNotified,
    string? PermitNumber, ApplicantResponse? Applicant, IReadOnlyList<PermitEventResponse> History);

public sealed record PermitListResponse(IReadOnlyList<PermitSummaryResponse> Items, int Limit, int Offset);

/// <summary>What a citizen sees by number and secret: status and history, no names or officer identities.</summary>
public sealed record PermitTrackingResponse(
    string Number, string PermitType, string State, DateTimeOffset SubmittedAt, DateOnly? Deadline, int? DaysLeft,
    bool Overdue, string? PermitNumber, IReadOnlyList<PermitEventResponse> History);
