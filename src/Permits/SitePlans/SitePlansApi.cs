using HcmCity.Web.Input;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using HcmCity.Web.Auth;
using HcmCity.Web.GeoJson;
using HcmCity.Web.Problems;
using HcmCity.Permits.Calendar;
using HcmCity.Gis.Compliance;
using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using HcmCity.Permits.Dossiers;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Permits.SitePlans;

/// <summary>
/// Site-plan compliance (kiểm tra tổng mặt bằng): a public pre-check of a plan against a parcel on record or drawn
/// inline, and the officers' check of a dossier's stored plan, both by <see cref="SitePlanChecker"/> against the
/// rule set in force on the day. Parsing and mapping only: the rules are the engine's.
/// </summary>
public static class SitePlansApi
{
    /// <summary>RFC 7946 §3.1.6 ring orientation, as the parcel outputs write it.</summary>
    private static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory(false, GeoJsonConverterFactory.DefaultIdPropertyName, RingOrientationOption.EnforceRfc9746) },
    };

    public static IEndpointRouteBuilder MapSitePlansApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/site-plans/check", CheckAsync)
            .AllowAnonymous()
            .Accepts<SitePlanCheckRequest>("application/json")
            .WithTags("Site plans")
            .WithName("CheckSitePlan")
            .WithSummary("Kiểm tra tổng mặt bằng theo quy chuẩn (không lưu) / Check a site plan against the rules in force (no side effects)");
        app.MapGet("/api/permits/applications/{number}/check", CheckDossierAsync)
            .RequireAuthorization(Roles.Officer)
            .WithTags("Site plans")
            .WithName("CheckPermitApplicationSitePlan")
            .WithSummary("Kiểm tra tổng mặt bằng của hồ sơ, hình học WGS 84 cho bản đồ / Check a dossier's site plan, geometries in WGS 84 for the map (officers of its unit)");
        return app;
    }

    /// <param name="crs">CRS of the finding geometries in the response; the plan's CRS when left out.</param>
    public static async Task<Ok<SitePlanCheckResponse>> CheckAsync(
        HttpRequest http, string? crs, IParcelStore parcels, RuleSetCatalog catalog, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var output = ParcelInput.Srid(crs);
        using var body = await ReadJsonAsync(http, cancellationToken);
        var request = SitePlanInput.Read(body.RootElement);
        var (parcel, srid) = request.ParcelId is { } id
            ? await StoredParcelAsync(id, parcels, cancellationToken)
            : (request.InlineParcel!, request.InlineSrid!.Value);
        if (request.Crs is { } declared && declared != srid)
        {
            throw BadInputException.For("crs", string.Create(CultureInfo.InvariantCulture,
                $"Thửa đất ở EPSG:{srid}, không phải EPSG:{declared} / the parcel is in EPSG:{srid}, not EPSG:{declared}; draw the footprint in the parcel's CRS."));
        }

        var date = request.Date ?? VietnamWorkingCalendar.DateInVietnam(time.GetUtcNow());
        var plan = request.PlanIn(srid);
        if (!catalog.TrySelect(plan.AreaType, date, out var rules))
        {
            throw BadInputException.For("date", string.Create(CultureInfo.InvariantCulture,
                $"Không có quy chuẩn hiệu lực ngày {date:yyyy-MM-dd} / no rule set for {AreaTypeName(plan.AreaType)} areas is in force on {date:yyyy-MM-dd}."));
        }
        var report = SitePlanChecker.Check(parcel, plan, rules);
        return TypedResults.Ok(Response(report, srid, output ?? srid));
    }

    public static async Task<Results<Ok<DossierCheckResponse>, ProblemHttpResult>> CheckDossierAsync(
        string number, string? areaType, ClaimsPrincipal user, IPermitRepository repository, IParcelStore parcels,
        RuleSetCatalog catalog, CancellationToken cancellationToken)
    {
        if (user.Unit() is not { } unit)
        {
            return UserScope.NoUnit();
        }
        var area = SitePlanInput.AreaTypeOrDefault(areaType);
        // Another unit's dossier answers as one that does not exist: an officer learns nothing of other units' files.
        if (await repository.GetAsync(number, cancellationToken) is not { } dossier || dossier.Unit != unit)
        {
            return PermitsApi.DossierNotFound(number);
        }
        var parcel = await parcels.GetAsync(dossier.ParcelId, cancellationToken);
        if (parcel is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "Không tìm thấy thửa đất / Parcel not found",
                detail: $"Parcel {dossier.ParcelId} of dossier {number} is not in the land records.");
        }

        var stored = dossier.SitePlan;
        var errors = new List<ValidationError>();
        using var document = JsonDocument.Parse(stored.FootprintGeoJson);
        var drawn = SitePlanInput.ReadGeometry(document.RootElement, "sitePlan.footprint", errors)
            ?? throw new SitePlanValidationException(errors);
        // The plan was drawn in the parcel's source CRS at submission; a parcel re-surveyed in another zone since is
        // still measured in its own.
        var footprint = CrsTransforms.Transform(GeometryFactories.For(stored.Srid).CreateGeometry(drawn), parcel.SourceSrid);
        var plan = new SitePlan
        {
            Footprint = footprint,
            Floors = stored.Floors,
            Height = stored.Height,
            RoadWidth = stored.RoadWidth,
            AreaType = area,
        };
        var date = VietnamWorkingCalendar.DateInVietnam(dossier.SubmittedAt);
        if (!catalog.TrySelect(area, date, out var rules))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Không có quy chuẩn áp dụng / No rule set in force",
                detail: string.Create(CultureInfo.InvariantCulture,
                    $"No rule set for {AreaTypeName(area)} areas was in force on {date:yyyy-MM-dd}, the day dossier {number} was submitted."));
        }

        var report = SitePlanChecker.Check(ParcelFacts.From(parcel), plan, rules);
        var body = Response(report, parcel.SourceSrid, Srid.Wgs84);
        return TypedResults.Ok(new DossierCheckResponse(
            body.Verdict, body.RuleSet, body.Crs, body.Findings,
            GeoJsonOf(ParcelGeoJson.GeometryIn(parcel, OutputCrs.Crs84)),
            GeoJsonOf(CrsTransforms.Transform(footprint, Srid.Wgs84))));
    }

    /// <summary>
    /// The body as JSON; malformed JSON is reported as "body" like every other bad input, and a body of another media
    /// type as 415 (as the framework does for the endpoints whose body it binds), before any of it is read.
    /// </summary>
    private static async Task<JsonDocument> ReadJsonAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            throw new BadHttpRequestException(
                $"Cần Content-Type: application/json / expected an application/json body, not '{http.ContentType}'.",
                StatusCodes.Status415UnsupportedMediaType);
        }
        try
        {
            return await JsonDocument.ParseAsync(http.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw BadInputException.For("body", $"JSON không hợp lệ / the body is not JSON: {e.Message}");
        }
    }

    private static async Task<(ParcelFacts Parcel, int Srid)> StoredParcelAsync(long id, IParcelStore parcels, CancellationToken cancellationToken)
    {
        var parcel = await parcels.GetAsync(id, cancellationToken)
            ?? throw BadInputException.For("parcelId", $"Không có thửa đất {id} trong hồ sơ địa chính / no parcel {id} in the land records.");
        return (ParcelFacts.From(parcel), parcel.SourceSrid);
    }

    /// <summary>The report with its finding geometries, measured in <paramref name="planSrid"/>, written in <paramref name="outputSrid"/>.</summary>
    private static SitePlanCheckResponse Response(ComplianceReport report, int planSrid, int outputSrid) => new(
        report.Verdict,
        new RuleSetReference(report.RuleSetId, report.RuleSetVersion),
        string.Create(CultureInfo.InvariantCulture, $"EPSG:{outputSrid}"),
        [.. report.Findings.Select(f => new FindingResponse(
            f.Rule, f.Status, Round(f.Actual), Round(f.Limit), f.Unit, new LocalizedText(f.MessageVi, f.MessageEn), f.Citation,
            f.Geometry is { IsEmpty: false } geometry ? GeoJsonOf(In(geometry, planSrid, outputSrid)) : null))]);

    /// <summary>
    /// Four decimals (0.1 mm, 0.0001 m², 0.0001 %): enough for any display, and no 113.99999999999999 from the
    /// floating-point areas. The status was decided by the engine on the exact values.
    /// </summary>
    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static Geometry In(Geometry geometry, int planSrid, int outputSrid)
    {
        if (geometry.SRID == 0)
        {
            geometry = GeometryFactories.For(planSrid).CreateGeometry(geometry);
        }
        return geometry.SRID == outputSrid ? geometry : CrsTransforms.Transform(geometry, outputSrid);
    }

    private static JsonElement GeoJsonOf(Geometry geometry) => JsonSerializer.SerializeToElement(geometry, GeoJson);

    private static string AreaTypeName(AreaType areaType) => areaType == AreaType.Existing ? "existing" : "new";
}
