using HcmCity.Web.Input;
using System.Security.Claims;
using System.Text.Json;
using HcmCity.Abstractions.Parcels;
using HcmCity.Abstractions.Sites;
using HcmCity.Web.Auth;
using HcmCity.Web.GeoJson;
using HcmCity.Web.Problems;
using HcmCity.Gis.Parcels;
using HcmCity.Sites.Records;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Sites;

/// <summary>
/// Construction-site monitoring: registration of sites and sensors (officer), status and alerts, alert
/// acknowledgement and resolution (inspector), and sensor readings for charts.
/// </summary>
public static class SitesApi
{
    /// <summary>Search results per page at most.</summary>
    public const int MaxSites = 500;

    private static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory() },
    };

    public static WebApplication MapSitesApi(this WebApplication app)
    {
        var sites = app.MapGroup("/api/sites").WithTags("Sites");
        sites.MapPost("", RegisterAsync).RequireAuthorization(Roles.Officer)
            .WithName("RegisterSite").WithSummary("Đăng ký công trường / Register a construction site");
        sites.MapGet("", SearchAsync).RequireAuthorization()
            .WithName("SearchSites").WithSummary("Công trường theo phường hoặc khung / Sites by ward or bbox");
        sites.MapGet("{id}", GetAsync).RequireAuthorization()
            .WithName("GetSite").WithSummary("Trạng thái, cảm biến, cảnh báo / Status, sensors and open alerts");
        sites.MapPost("{id}/sensors", ProvisionSensorAsync).RequireAuthorization(Roles.Officer)
            .WithName("ProvisionSensor").WithSummary("Cấp cảm biến và thông tin MQTT (hiện một lần) / Provision a sensor");

        var alerts = app.MapGroup("/api/alerts").WithTags("Sites").RequireAuthorization(Roles.Inspector);
        alerts.MapPost("{id}/acknowledge", (string id, SiteServices services, ClaimsPrincipal user) =>
                ActOnAlertAsync(id, services, user, acknowledge: true))
            .WithName("AcknowledgeAlert").WithSummary("Xác nhận cảnh báo / Acknowledge an alert");
        alerts.MapPost("{id}/resolve", (string id, SiteServices services, ClaimsPrincipal user) =>
                ActOnAlertAsync(id, services, user, acknowledge: false))
            .WithName("ResolveAlert").WithSummary("Đóng cảnh báo / Resolve an alert");

        app.MapPost("/api/sensors/{id}/revocation", RevokeSensorAsync).RequireAuthorization(Roles.Officer).WithTags("Sites")
            .WithName("RevokeSensor").WithSummary("Thu hồi cảm biến, ngắt kết nối MQTT / Revoke a sensor and cut its device off");
        app.MapGet("/api/sensors/{id}/readings", ReadingsAsync).RequireAuthorization().WithTags("Sites")
            .WithName("SensorReadings").WithSummary("Số liệu đo theo khoảng / Reading aggregates for charts");
        return app;
    }

    private static async Task<Results<Created<SiteDetails>, ProblemHttpResult>> RegisterAsync(
        RegisterSiteRequest request, SiteServices services, IParcelStore parcels, IOptions<SitesOptions> options, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (user.Unit() is not { } unit)
        {
            return UserScope.NoUnit();
        }
        var permit = SiteInput.PermitNumber(request.PermitNumber);
        if (request.ParcelId is not { } parcelId || parcelId <= 0)
        {
            throw BadInputException.For("parcelId", "Mã thửa phải là số nguyên dương / must be a positive integer.");
        }
        var zone = SiteInput.Zone(request.Zone);
        var conditions = SiteInput.Conditions(request.Conditions, zone, options.Value.NationalLimits);
        var parcel = await parcels.GetAsync(parcelId, cancellationToken)
            ?? throw BadInputException.For("parcelId", "Không có thửa đất này / no parcel has this id.");
        // An officer registers sites on the land of their own unit only (the unit that issued the permit).
        if (parcel.Key.Unit != unit)
        {
            return UserScope.OutsideUnit("parcel");
        }
        var footprint = request.Footprint is { ValueKind: not JsonValueKind.Null } element
            ? SiteInput.Footprint(element)
            : parcel.Geometry;
        if (!footprint.Intersects(parcel.Geometry))
        {
            throw BadInputException.For("footprint", "Không nằm trên thửa đất / the footprint does not touch the parcel.");
        }
        var site = new SiteRecord(
            SiteProvisioning.NewSiteId(), permit, parcelId, parcel.Key.Unit, zone, footprint, conditions,
            SiteStatuses.Ok, null, services.Time.GetUtcNow());
        await services.Provisioning.RegisterSiteAsync(site, cancellationToken);
        return TypedResults.Created($"/api/sites/{site.Id}", Details(site, null, []));
    }

    private static async Task<Ok<IReadOnlyList<SiteSummary>>> SearchAsync(
        string? ward, string? bbox, string? limit, SiteServices services, CancellationToken cancellationToken)
    {
        var query = new SiteQuery(
            ParcelInput.KeyPart(ward, "ward"),
            string.IsNullOrEmpty(bbox) ? null : ParcelInput.LonLatBbox(bbox, "bbox", maxSpanDegrees: null),
            ParcelInput.Int(limit, "limit", 100, 1, MaxSites));
        var found = await services.Repository.SearchSitesAsync(query, cancellationToken);
        IReadOnlyList<SiteSummary> summaries = found.Select(s => new SiteSummary(
            s.Id, s.PermitNumber, s.ParcelId, s.Ward, s.Zone, s.Status, s.StatusSince, s.Location.X, s.Location.Y)).ToList();
        return TypedResults.Ok(summaries);
    }

    private static async Task<Results<Ok<SiteDetails>, NotFound>> GetAsync(string id, SiteServices services, CancellationToken cancellationToken)
    {
        var site = await services.Repository.GetSiteAsync(id, cancellationToken);
        if (site is null)
        {
            return TypedResults.NotFound();
        }
        var snapshot = await services.Grains.GetGrain<IConstructionSiteGrain>(id).GetAsync();
        var sensors = snapshot.Sensors.Select(s => new SensorDetails(s.DeviceId, s.Kind, s.Offline,
            s.Metrics.Select(m => new MetricDto(m.Metric, SiteNames.Level(m.Level), m.Value, m.Limit, m.Time)).ToList())).ToList();
        return TypedResults.Ok(Details(site, snapshot, sensors));
    }

    private static async Task<Results<Created<ProvisionedSensor>, NotFound, ProblemHttpResult>> ProvisionSensorAsync(
        string id, ProvisionSensorRequest request, SiteServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Unit() is not { } unit)
        {
            return UserScope.NoUnit();
        }
        var kind = SiteInput.Kind(request.Kind);
        if (await services.Repository.GetSiteAsync(id, cancellationToken) is not { } site)
        {
            return TypedResults.NotFound();
        }
        if (site.Ward != unit)
        {
            return UserScope.OutsideUnit("site");
        }
        var device = await services.Provisioning.ProvisionSensorAsync(id, kind, cancellationToken);
        var mqtt = new MqttCredentials(device.Sensor.DeviceId, device.Secret, device.Topic, device.BaseName);
        return TypedResults.Created($"/api/sites/{id}", new ProvisionedSensor(device.Sensor.DeviceId, id, kind, mqtt));
    }

    /// <summary>
    /// Revokes a sensor: stored as revoked (its credentials are refused from now on), its grain drops its readings,
    /// and the broker disconnects its device. Revoking it again changes nothing and answers the same.
    /// </summary>
    private static async Task<Results<Ok<RevokedSensor>, NotFound, ProblemHttpResult>> RevokeSensorAsync(
        string id, SiteServices services, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Unit() is not { } unit)
        {
            return UserScope.NoUnit();
        }
        if (await services.Repository.GetSensorAsync(id, cancellationToken) is not { } known)
        {
            return TypedResults.NotFound();
        }
        if ((await services.Repository.GetSiteAsync(known.SiteId, cancellationToken))?.Ward != unit)
        {
            return UserScope.OutsideUnit("sensor's site");
        }
        var sensor = await services.Provisioning.RevokeSensorAsync(id, cancellationToken);
        if (sensor is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new RevokedSensor(sensor.DeviceId, sensor.SiteId, sensor.Kind, sensor.RevokedAt!.Value));
    }

    private static async Task<Results<Ok<AlertView>, NotFound, ProblemHttpResult>> ActOnAlertAsync(
        string id, SiteServices services, ClaimsPrincipal user, bool acknowledge)
    {
        var area = user.Area();
        if (area.Count == 0)
        {
            return UserScope.NoArea();
        }
        if (!Guid.TryParse(id, out var alertId))
        {
            throw BadInputException.For("id", "Mã cảnh báo là UUID / the alert id is a UUID.");
        }
        var alert = await services.Repository.GetAlertAsync(alertId);
        if (alert is null)
        {
            return TypedResults.NotFound();
        }
        if ((await services.Repository.GetSiteAsync(alert.SiteId))?.Ward is not { } ward || !area.Contains(ward))
        {
            return UserScope.OutsideArea("alert's site");
        }
        var actor = user.FindFirstValue("sub") ?? user.Identity?.Name ?? "unknown";
        var site = services.Grains.GetGrain<IConstructionSiteGrain>(alert.SiteId);
        var result = acknowledge ? await site.AcknowledgeAsync(alertId, actor) : await site.ResolveAsync(alertId, actor);
        return result.Outcome switch
        {
            AlertActionOutcome.Done => TypedResults.Ok(result.Alert!),
            AlertActionOutcome.Conflict => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Trạng thái cảnh báo không cho phép / Alert state does not allow this",
                detail: $"The alert is {result.Alert!.State}."),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<Results<Ok<ReadingsResponse>, NotFound>> ReadingsAsync(
        string id, string? from, string? to, string? every, SiteServices services, IReadingHistory history, CancellationToken cancellationToken)
    {
        var end = SiteInput.Instant(to, "to") ?? services.Time.GetUtcNow();
        var start = SiteInput.Instant(from, "from") ?? end - DefaultRange;
        if (start >= end)
        {
            throw BadInputException.For("from", "Phải trước 'to' / must be before 'to'.");
        }
        var bucket = SiteInput.Every(every, DefaultEvery);
        if ((end - start) / bucket > SiteInput.MaxBuckets)
        {
            throw BadInputException.For("every", $"Quá nhiều khoảng (tối đa {SiteInput.MaxBuckets}) / more than {SiteInput.MaxBuckets} buckets: use a larger 'every'.");
        }
        if (await services.Repository.GetSensorAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        var buckets = await history.AggregateAsync(id, start, end, bucket, cancellationToken);
        var series = buckets.GroupBy(b => b.Name)
            .Select(g => new ReadingSeries(g.Key, g.Select(b => new ReadingPoint(b.Time, b.Mean, b.Min, b.Max, b.Count)).ToList()))
            .ToList();
        return TypedResults.Ok(new ReadingsResponse(id, start, end, every ?? "5m", series));
    }

    private static SiteDetails Details(SiteRecord site, SiteSnapshot? snapshot, IReadOnlyList<SensorDetails> sensors)
    {
        var location = site.Location;
        return new SiteDetails(
            site.Id, site.PermitNumber, site.ParcelId, site.Ward, site.Zone,
            snapshot is null ? site.Status : SiteNames.Status(snapshot.Status),
            snapshot is null ? site.StatusSince : snapshot.Since,
            location.X, location.Y,
            JsonSerializer.SerializeToElement(site.Footprint, GeoJson),
            site.Conditions,
            sensors,
            snapshot?.OpenAlerts ?? []);
    }
}

/// <summary>What the site endpoints share.</summary>
public sealed class SiteServices(ISiteRepository repository, IGrainFactory grains, TimeProvider time, SiteProvisioning provisioning)
{
    public ISiteRepository Repository { get; } = repository;

    public SiteProvisioning Provisioning { get; } = provisioning;

    public IGrainFactory Grains { get; } = grains;

    public TimeProvider Time { get; } = time;
}
