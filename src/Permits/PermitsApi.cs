using HcmCity.Web.Input;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HcmCity.Abstractions.Permits;
using HcmCity.Web.Auth;
using HcmCity.Web.GeoJson;
using HcmCity.Web.Problems;
using HcmCity.Gis.Compliance;
using HcmCity.Gis.Parcels;
using HcmCity.Abstractions.Audit;
using HcmCity.Permits.Conditions;
using HcmCity.Permits.Dossiers;
using HcmCity.Permits.EPermits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using HcmCity.Gis.GeoJson;

namespace HcmCity.Permits;

/// <summary>
/// Construction-permit dossiers (hồ sơ cấp giấy phép xây dựng): submission by a citizen or at the counter by an
/// officer, officers' work lists by unit, transitions of the state machine (the dossier's grain decides), and
/// citizens' tracking by dossier number and secret without signing in.
/// </summary>
public static class PermitsApi
{
    /// <summary>Most basements a dossier may declare: a plausibility bound, not a regulation.</summary>
    public const int MaxBasements = 10;

    /// <summary>How far a footprint may stray outside its parcel's surveyed boundary, in metres (drawing tolerance).</summary>
    public const double FootprintToleranceMetres = 0.5;

    public const int DefaultLimit = 50;

    /// <summary>Audit action of an officer's read of an applicant's personal data.</summary>
    public const string PersonalDataReadAction = "personal-data.read";

    public const int MaxLimit = 500;

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    public static IEndpointRouteBuilder MapPermitsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/permits/applications").WithTags("Permits");
        group.MapPost("", SubmitAsync)
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Citizen, Roles.Officer))
            .WithName("SubmitPermitApplication")
            .WithSummary("Nộp hồ sơ cấp phép xây dựng / Submit a construction-permit dossier (returns number and tracking secret once)");
        group.MapGet("", ListAsync)
            .RequireAuthorization(Roles.Officer)
            .WithName("ListPermitApplications")
            .WithSummary("Hồ sơ của đơn vị / Dossiers of the officer's unit, by state or overdue");
        group.MapGet("/{number}", GetAsync)
            .RequireAuthorization(Roles.Officer)
            .WithName("GetPermitApplication")
            .WithSummary("Một hồ sơ với người đề nghị và lịch sử / One dossier with its applicant and history (officers)");
        group.MapPost("/{number}/transitions", TransitionAsync)
            .RequireAuthorization()
            .WithName("TransitionPermitApplication")
            .WithSummary("Thẩm định, bổ sung, cấp phép (với điều kiện thi công), từ chối, rút, khởi công, đình chỉ, tiếp tục, hoàn công / Move a dossier through its workflow");
        app.MapGet("/api/track/{number}", TrackAsync)
            .AllowAnonymous()
            .WithTags("Permits")
            .WithName("TrackPermitApplication")
            .WithSummary("Tra cứu hồ sơ bằng số và mã bí mật / Track a dossier by number and secret, without signing in");
        return app;
    }

    public static async Task<Results<Created<PermitApplicationCreated>, ProblemHttpResult>> SubmitAsync(
        PermitApplicationRequest request, ClaimsPrincipal user, [AsParameters] PermitServices services, CancellationToken cancellationToken)
    {
        var parcel = await RequireParcelAsync(request.ParcelId, services.Parcels, cancellationToken);
        var permitType = request.PermitType is { } type && PermitTypeRules.Embedded.Types.ContainsKey(type)
            ? type
            : throw BadInputException.For("permitType", $"Expected one of: {string.Join(", ", PermitTypeRules.Embedded.Types.Keys)}.");
        var sitePlan = ReadSitePlan(request.SitePlan, parcel, permitType);
        var actor = Actor(user);
        var (applicant, onFile) = await DeclareApplicantAsync(request.Applicant, actor, services.Repository, cancellationToken);

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var sequence = await services.Repository.NextDossierSequenceAsync(cancellationToken);
        var number = string.Create(CultureInfo.InvariantCulture, $"{services.Options.Value.DossierPrefix}-{services.Clock.Today.Year}-{sequence:D6}");
        var outcome = await services.Grains.GetGrain<IPermitApplicationGrain>(number).SubmitAsync(new PermitSubmission(
            parcel.Key.Unit, parcel.Id, permitType, sitePlan, applicant.Id, SecretHash(secret), actor));
        if (outcome.Rejection is { } rejection)
        {
            return Problem(rejection);
        }
        return TypedResults.Created($"/api/permits/applications/{number}", new PermitApplicationCreated(
            number, secret, PermitWorkflow.Name(outcome.State), outcome.Deadline,
            outcome.Deadline is { } deadline ? services.Clock.DaysLeft(deadline) : null, onFile));
    }

    public static async Task<Results<Ok<PermitListResponse>, ProblemHttpResult>> ListAsync(
        string? state, string? overdue, string? limit, string? offset, ClaimsPrincipal user,
        IPermitRepository repository, PermitClock clock, CancellationToken cancellationToken)
    {
        if (user.Unit() is not { } unit)
        {
            return UserScope.NoUnit();
        }
        if (state is not null && !PermitWorkflow.TryParseState(state, out _))
        {
            throw BadInputException.For("state", $"Expected one of: {string.Join(", ", PermitWorkflow.StateWireNames)}.");
        }
        bool? overdueFilter = overdue switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw BadInputException.For("overdue", "Expected true or false."),
        };
        var query = new PermitListQuery(unit, state, overdueFilter,
            ParcelInput.Int(limit, "limit", DefaultLimit, 1, MaxLimit), ParcelInput.Int(offset, "offset", 0, 0, int.MaxValue));
        var dossiers = await repository.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new PermitListResponse([.. dossiers.Select(d => Summary(d, clock))], query.Limit, query.Offset));
    }

    public static async Task<Results<Ok<PermitApplicationResponse>, ProblemHttpResult>> GetAsync(
        string number, ClaimsPrincipal user, IPermitRepository repository, PermitClock clock, IAuditTrail audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (user.Unit() is not { } unit)
        {
            return UserScope.NoUnit();
        }
        // Another unit's dossier answers as one that does not exist: an officer learns nothing of other units' files.
        if (await repository.GetAsync(number, cancellationToken) is not { } dossier || dossier.Unit != unit)
        {
            return DossierNotFound(number);
        }
        var applicant = await repository.GetApplicantAsync(dossier.ApplicantId, cancellationToken);
        // The dossier keeps the version it was filed with; the officer is told when its owner has changed it since.
        var current = applicant?.OwnerSubject is { } owner ? await repository.FindOwnApplicantAsync(owner, cancellationToken) : applicant;
        if (applicant is not null)
        {
            // Every read of personal data is on the record: who read which applicant's profile, for which dossier.
            var actor = Actor(user);
            await audit.AppendAsync(new AuditDraft(time.GetUtcNow(), actor.Subject, actor.Role, PersonalDataReadAction, number,
                new Dictionary<string, string?> { ["applicant"] = applicant.Id.ToString(CultureInfo.InvariantCulture) }), cancellationToken);
        }
        var history = await repository.GetHistoryAsync(number, cancellationToken);
        var plan = dossier.SitePlan;
        using var footprint = JsonDocument.Parse(plan.FootprintGeoJson);
        return TypedResults.Ok(new PermitApplicationResponse(
            dossier.Number, dossier.Unit, dossier.ParcelId, dossier.PermitType,
            new SitePlanResponse(plan.Floors, plan.Height, plan.Basements, plan.RoadWidth, footprint.RootElement.Clone(),
                string.Create(CultureInfo.InvariantCulture, $"EPSG:{plan.Srid}")),
            dossier.State, dossier.SubmittedAt, dossier.Deadline, DaysLeft(dossier, clock), dossier.Overdue, dossier.Warned,
            dossier.DeficiencyNotified, dossier.PermitNumber,
            applicant is null ? null : new ApplicantResponse(applicant.CitizenId, applicant.FullName, applicant.Address, applicant.Phone,
                applicant.Version, current?.Version ?? applicant.Version, (current?.Version ?? applicant.Version) != applicant.Version),
            [.. history.Select(e => Event(e, withSubject: true))]));
    }

    public static async Task<Results<Ok<PermitSummaryResponse>, ProblemHttpResult>> TransitionAsync(
        string number, PermitTransitionRequest request, ClaimsPrincipal user, [AsParameters] PermitServices services,
        ILogger<PermitTransitionRequest> logger, CancellationToken cancellationToken)
    {
        if (!PermitWorkflow.TryParseAction(request.Action, out var action))
        {
            throw BadInputException.For("action", $"Expected one of: {string.Join(", ", PermitWorkflow.ActionWireNames)}.");
        }
        var actor = Actor(user);
        // Who may try at all is judged by role and claim alone, so that these answers say nothing about the dossier.
        if (PermitWorkflow.IsOfficerAction(action) ? actor.Role != Roles.Officer : actor.Role is not (Roles.Citizen or Roles.Officer))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Không có quyền / Not allowed", detail: $"A {actor.Role} may not {PermitWorkflow.Name(action)} a dossier.");
        }
        if (PermitWorkflow.IsOfficerAction(action) && actor.Unit is not { Length: > 0 })
        {
            return UserScope.NoUnit();
        }
        var grain = services.Grains.GetGrain<IPermitApplicationGrain>(number);
        // The conditions are checked before the decision is recorded: a looser-than-national limit leaves the dossier as it was.
        var conditions = action == PermitAction.Approve
            ? await ApprovalConditionsAsync(number, request.Conditions, services, cancellationToken)
            : null;
        var plannedStart = action == PermitAction.Commence ? Date(request.PlannedStart, "plannedStart") : null;
        var outcome = await grain.TransitionAsync(new PermitCommand(action, actor, request.Reason?.Trim(), plannedStart));
        if (outcome.Rejection is { } rejection)
        {
            return Problem(rejection, number);
        }
        if (conditions is not null && services.Issuer is { } issuer)
        {
            await IssueAsync(number, actor, request.Reason, conditions, grain, issuer, services, logger, cancellationToken);
        }
        var dossier = await services.Repository.GetAsync(number, cancellationToken);
        return TypedResults.Ok(Summary(dossier!, services.Clock));
    }

    public static async Task<Results<Ok<PermitTrackingResponse>, ProblemHttpResult>> TrackAsync(
        string number, string? secret, IPermitRepository repository, PermitClock clock, CancellationToken cancellationToken)
    {
        var dossier = await repository.GetAsync(number, cancellationToken);
        var expected = dossier?.TrackingSecretHash ?? new byte[32];
        // Unknown number and wrong secret answer alike (same status, same body, a hash compared either way): no oracle.
        var matches = CryptographicOperations.FixedTimeEquals(SecretHash(secret ?? ""), expected);
        if (dossier is null || !matches)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "Không tìm thấy hồ sơ / Dossier not found",
                detail: "No dossier matches this number and secret.");
        }
        var history = await repository.GetHistoryAsync(number, cancellationToken);
        return TypedResults.Ok(new PermitTrackingResponse(
            dossier.Number, dossier.PermitType, dossier.State, dossier.SubmittedAt, dossier.Deadline, DaysLeft(dossier, clock),
            dossier.Overdue, dossier.PermitNumber, [.. history.Select(e => Event(e, withSubject: false))]));
    }

    /// <summary>
    /// The decision stands whatever happens here: a failed issuance is logged and the dossier stays approved without
    /// an e-permit number, for the e-permit service to issue again (its issuance is idempotent per dossier).
    /// </summary>
    private static async Task IssueAsync(string number, PermitActor actor, string? note, PermitSiteConditions conditions,
        IPermitApplicationGrain grain, IPermitIssuer issuer, PermitServices services, ILogger logger, CancellationToken cancellationToken)
    {
        var dossier = (await services.Repository.GetAsync(number, cancellationToken))!;
        var plan = dossier.SitePlan;
        try
        {
            var issued = await issuer.IssueAsync(new PermitApproval(
                dossier.Number, dossier.Unit, dossier.ParcelId, dossier.PermitType,
                new PermitSitePlanSummary(plan.Floors, plan.Height, plan.Basements, plan.RoadWidth, plan.FootprintGeoJson, plan.Srid),
                dossier.UpdatedAt, actor, note, conditions), cancellationToken);
            await grain.RecordIssuedPermitAsync(issued.PermitNumber, issued.StartBy, actor);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Dossier {Number} was approved but its e-permit was not issued", number);
        }
    }

    /// <summary>The officer's site conditions against the national limits, for the dossier's permit type; null for an unknown dossier (the grain answers 404).</summary>
    private static async Task<PermitSiteConditions?> ApprovalConditionsAsync(
        string number, SiteConditionsRequest? request, PermitServices services, CancellationToken cancellationToken)
    {
        if (await services.Repository.GetAsync(number, cancellationToken) is not { } dossier)
        {
            return null;
        }
        var (conditions, rejection) = SiteConditionRules.Decide(
            request, services.NationalLimits, dossier.PermitType, services.Clock.Today, services.EPermitOptions.Value.StartWithinMonths);
        return rejection is null ? conditions : throw BadInputException.For(rejection.Field!, rejection.Message);
    }

    private static DateOnly? Date(string? text, string field) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw BadInputException.For(field, "Ngày dạng yyyy-MM-dd / expected a date yyyy-MM-dd.");

    private static async Task<Parcel> RequireParcelAsync(long? parcelId, IParcelStore parcels, CancellationToken cancellationToken)
    {
        if (parcelId is not > 0)
        {
            throw BadInputException.For("parcelId", "Cần mã thửa đất (số nguyên dương) / a parcel id is required.");
        }
        return await parcels.GetAsync(parcelId.Value, cancellationToken)
            ?? throw BadInputException.For("parcelId", $"Không có thửa đất {parcelId} trong hồ sơ địa chính / no parcel {parcelId} in the land records.");
    }

    private static PermitSitePlanSummary ReadSitePlan(SitePlanRequest? plan, Parcel parcel, string permitType)
    {
        if (plan is null)
        {
            throw BadInputException.For("sitePlan", "Cần tóm tắt bản vẽ / a site plan summary is required.");
        }
        // Basements are the dossier's own field: the compliance engine does not measure them.
        var basements = plan.Basements ?? 0;
        if (basements is < 0 or > MaxBasements)
        {
            throw BadInputException.For("sitePlan.basements", $"Số tầng hầm 0..{MaxBasements} / basements must be 0..{MaxBasements}.");
        }
        var footprint = ReadFootprint(plan.Footprint);
        footprint.SRID = parcel.SourceSrid;
        var sitePlan = new SitePlan
        {
            Footprint = footprint,
            Floors = plan.Floors ?? 0,
            Height = plan.Height ?? double.NaN,
            RoadWidth = plan.RoadWidth ?? double.NaN,
            AreaType = AreaType.Existing,
        };
        // The one validator of a site plan, shared with POST /api/site-plans/check; fields named as in this body.
        var errors = SitePlanValidation.Validate(ParcelFacts.From(parcel), sitePlan);
        if (errors.Count > 0)
        {
            throw new SitePlanValidationException([.. errors.Select(e => e with { Field = $"sitePlan.{e.Field}" })]);
        }
        if (PermitTypeRules.Embedded.Exceeded(permitType, sitePlan.Floors, basements) is { } exceeded)
        {
            throw BadInputException.For($"sitePlan.{exceeded.Field}",
                $"Loại giấy phép {permitType} cho phép tối đa {exceeded.Limit} ({exceeded.Field}) / a {permitType} permit allows at most {exceeded.Limit} {exceeded.Field} ({PermitTypeRules.Embedded.Citation}).");
        }
        if (!parcel.SourceGeometry.Buffer(FootprintToleranceMetres).Covers(footprint))
        {
            throw BadInputException.For("sitePlan.footprint",
                $"Công trình nằm ngoài thửa đất (EPSG:{parcel.SourceSrid}) / the footprint is not inside parcel {parcel.Id} in EPSG:{parcel.SourceSrid}.");
        }
        return new PermitSitePlanSummary(sitePlan.Floors, sitePlan.Height, basements, sitePlan.RoadWidth, JsonSerializer.Serialize(footprint, GeoJson), parcel.SourceSrid);
    }

    private static Geometry ReadFootprint(JsonElement? element)
    {
        const string Field = "sitePlan.footprint";
        if (element is not { ValueKind: JsonValueKind.Object } json)
        {
            throw BadInputException.For(Field, "Cần GeoJSON Polygon theo hệ tọa độ của thửa / a GeoJSON Polygon in the parcel's CRS is required.");
        }
        Geometry? read;
        try
        {
            read = json.Deserialize<Geometry>(GeoJson);
        }
        catch (Exception e) when (GeoJsonInput.IsMalformed(e))
        {
            throw BadInputException.For(Field, $"GeoJSON không hợp lệ / not GeoJSON: {e.Message}");
        }
        if (read is not null && GeoJsonInput.TooComplex(read) is { } tooComplex)
        {
            throw BadInputException.For(Field, tooComplex);
        }
        var geometry = read is null ? null : SitePlans.SitePlanInput.Planar(read);
        if (geometry is not Polygon polygon || !Finite(polygon) || !polygon.IsValid || !double.IsFinite(polygon.Area) || polygon.Area <= 0)
        {
            throw BadInputException.For(Field, "Cần một Polygon hợp lệ có diện tích / a valid Polygon with an area is required.");
        }
        return polygon;
    }

    /// <summary>Every coordinate finite: NaN or infinite ones would make the validity and containment tests meaningless.</summary>
    private static bool Finite(Geometry geometry) =>
        geometry.Coordinates.All(c => double.IsFinite(c.X) && double.IsFinite(c.Y));

    /// <summary>
    /// The applicant's profile for a new dossier. A citizen's profile is theirs (owned by their token's subject and
    /// linked to one CCCD, once): their own profile on file fills in what they leave out, and a change is stored as
    /// its next version. Whether anyone else declared the CCCD is never looked up, so a CCCD on file and an unknown
    /// one get the same answer. An officer filing at the counter declares the whole profile each time.
    /// </summary>
    /// <returns>The profile and whether it is the citizen's own profile on file (reused or changed).</returns>
    private static async Task<(ApplicantProfile Profile, bool OnFile)> DeclareApplicantAsync(
        ApplicantRequest? request, PermitActor actor, IPermitRepository repository, CancellationToken cancellationToken)
    {
        if (request?.CitizenId is not { } citizenId || !ApplicantProfile.IsCitizenId(citizenId))
        {
            throw BadInputException.For("applicant.citizenId", "Số CCCD gồm 12 chữ số / the citizen id (CCCD) is 12 digits.");
        }
        var owner = actor.Role == Roles.Citizen ? actor.Subject : null;
        var own = owner is null ? null : await repository.FindOwnApplicantAsync(owner, cancellationToken);
        var known = own?.CitizenId == citizenId ? own : null;
        var fullName = Text(request.FullName) ?? known?.FullName ?? throw Missing("applicant.fullName");
        var address = Text(request.Address) ?? known?.Address ?? throw Missing("applicant.address");
        var phone = Text(request.Phone) ?? known?.Phone ?? throw Missing("applicant.phone");
        try
        {
            var profile = await repository.DeclareApplicantAsync(new ApplicantDeclaration(owner, citizenId, fullName, address, phone),
                actor.Subject, actor.Role, cancellationToken);
            return (profile, own is not null);
        }
        catch (ApplicantIdentityException)
        {
            throw BadInputException.For("applicant.citizenId",
                "Tài khoản đã gắn với số CCCD khác; chỉ khai hồ sơ của chính mình / this account is linked to another CCCD: declare only your own profile.");
        }

        static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

        static BadInputException Missing(string field) =>
            BadInputException.For(field, "Người đề nghị chưa có hồ sơ: cần họ tên, địa chỉ, điện thoại / an applicant without a profile on file needs full name, address and phone.");
    }

    private static PermitActor Actor(ClaimsPrincipal user) => new(
        user.FindFirst("sub")?.Value ?? throw new InvalidOperationException("An authenticated user has a subject."),
        user.FindFirst("role")?.Value ?? "",
        user.FindFirst("unit")?.Value);

    private static int? DaysLeft(PermitRecord dossier, PermitClock clock) =>
        dossier.Deadline is { } deadline && PermitWorkflow.TryParseState(dossier.State, out var state) && PermitWorkflow.ClockRuns(state)
            ? clock.DaysLeft(deadline)
            : null;

    private static PermitSummaryResponse Summary(PermitRecord d, PermitClock clock) => new(
        d.Number, d.Unit, d.ParcelId, d.PermitType, d.State, d.SubmittedAt, d.Deadline, DaysLeft(d, clock), d.Overdue, d.Warned, d.PermitNumber);

    private static PermitEventResponse Event(PermitEventRecord e, bool withSubject) => new(
        e.Seq, e.Action, e.FromState.Length == 0 ? null : e.FromState, e.ToState, e.At, e.ActorRole,
        withSubject ? e.ActorSubject : null, e.Reason);

    private static byte[] SecretHash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The one answer for a dossier that does not exist or that the caller may not know of.</summary>
    public static ProblemHttpResult DossierNotFound(string number) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Không tìm thấy hồ sơ / Dossier not found", detail: $"No dossier {number}.");

    private static ProblemHttpResult Problem(PermitRejection rejection, string? number = null) => rejection.Kind switch
    {
        PermitRejectionKind.Invalid => throw BadInputException.For(rejection.Field ?? "body", rejection.Message),
        // Another unit's dossier, or someone else's for an applicant's action, answers as one that does not exist.
        PermitRejectionKind.NotFound or PermitRejectionKind.Forbidden => DossierNotFound(number ?? ""),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
            title: "Không thể chuyển trạng thái / Transition not allowed", detail: rejection.Message),
    };
}

/// <summary>Services of the submission and transition endpoints.</summary>
public sealed class PermitServices
{
    [FromServices]
    public required IGrainFactory Grains { get; init; }

    [FromServices]
    public required IPermitRepository Repository { get; init; }

    [FromServices]
    public required IParcelStore Parcels { get; init; }

    [FromServices]
    public required PermitClock Clock { get; init; }

    [FromServices]
    public required IOptions<PermitOptions> Options { get; init; }

    [FromServices]
    public required IOptions<EPermitOptions> EPermitOptions { get; init; }

    /// <summary>The national limits an approval's site conditions may only tighten.</summary>
    [FromServices]
    public required NationalSiteLimits NationalLimits { get; init; }

    /// <summary>The e-permit issuer, when the e-permit capability is registered.</summary>
    [FromServices]
    public IPermitIssuer? Issuer { get; init; }
}
