using System.Security.Claims;
using System.Text.Json;
using HcmCity.Abstractions.Permits;
using HcmCity.Web.Auth;
using HcmCity.Permits;
using HcmCity.Gis.Parcels;
using HcmCity.Permits.Dossiers;
using HcmCity.Permits.EPermits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO.Converters;

namespace HcmCity.Permits.Demo;

/// <summary>Settings of the embedded mode's demo data for permit officers.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Dossiers submitted at start in the first ward with residential lots (embedded mode; 0 = none).</summary>
    public int Dossiers { get; set; } = 6;
}

/// <summary>Where the demo dossiers were filed, once they are: the unit a demo officer signs in with.</summary>
public sealed class DemoWorkList
{
    private volatile string? _officerUnit;

    public string? OfficerUnit
    {
        get => _officerUnit;
        internal set => _officerUnit = value;
    }
}

/// <summary>
/// Embedded mode: files a handful of construction-permit dossiers at the counter through the same code path as
/// <c>POST /api/permits/applications</c>, some compliant and some not (whole-lot footprints break the building
/// density, tall houses on narrow roads the floor limit), and starts appraisal of half of them, so an officer who
/// signs in sees a work list with findings to draw. The applicants are fictitious.
/// </summary>
internal sealed class DemoDossiers(
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    IOptions<DemoOptions> options,
    DemoWorkList workList,
    ILogger<DemoDossiers> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>(footprint scale around the centroid, floors, height m, road width m): plans that pass and fail.</summary>
    private static readonly (double Scale, int Floors, double Height, double RoadWidth)[] Plans =
    [
        (0.75, 4, 15.5, 12),
        (1.0, 5, 19, 12),
        (0.8, 9, 33, 6),
        (0.7, 3, 12, 8),
        (0.98, 6, 23, 20),
        (0.75, 4, 16, 10),
    ];

    private static readonly string[] Names =
        ["Nguyễn Văn Demo", "Trần Thị Demo", "Lê Văn Demo", "Phạm Thị Demo", "Hoàng Văn Demo", "Võ Thị Demo"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var count = Math.Min(options.Value.Dossiers, Plans.Length);
        if (count <= 0 || !await StartedAsync(stoppingToken))
        {
            return;
        }
        try
        {
            await SeedAsync(count, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Demo dossiers were not filed");
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
        return started.Task.IsCompleted;
    }

    private async Task SeedAsync(int count, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var parcels = provider.GetRequiredService<IParcelStore>();
        var lots = await ResidentialLotsAsync(parcels, provider.GetRequiredService<WardBoundaries>(), count, cancellationToken);
        if (lots.Count == 0)
        {
            logger.LogInformation("No residential lots for demo dossiers");
            return;
        }
        var unit = lots[0].Key.Unit;
        var officer = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "demo-counter"), new Claim("role", Roles.Officer), new Claim("unit", unit)], "demo"));
        var permitServices = new PermitServices
        {
            Grains = provider.GetRequiredService<IGrainFactory>(),
            Repository = provider.GetRequiredService<IPermitRepository>(),
            Parcels = parcels,
            Clock = provider.GetRequiredService<PermitClock>(),
            Options = provider.GetRequiredService<IOptions<PermitOptions>>(),
            EPermitOptions = provider.GetRequiredService<IOptions<EPermitOptions>>(),
            NationalLimits = provider.GetRequiredService<NationalSiteLimits>(),
        };
        var filed = new List<string>();
        for (var i = 0; i < lots.Count; i++)
        {
            var (scale, floors, height, roadWidth) = Plans[i];
            var lot = lots[i];
            var footprint = Scaled(lot.SourceGeometry, scale);
            var request = new PermitApplicationRequest(lot.Id, "new-construction",
                new SitePlanRequest(floors, height, 0, roadWidth, JsonSerializer.SerializeToElement(footprint, GeoJson)),
                new ApplicantRequest($"0792000{i + 1:D5}", Names[i], $"{10 + i} Đường Demo, {unit}", $"090000{i + 1:D4}"));
            var result = await PermitsApi.SubmitAsync(request, officer, permitServices, cancellationToken);
            if (result.Result is Created<PermitApplicationCreated> { Value: { } created })
            {
                filed.Add(created.Number);
                if (i % 2 == 0)
                {
                    await permitServices.Grains.GetGrain<IPermitApplicationGrain>(created.Number).TransitionAsync(
                        new PermitCommand(PermitAction.StartAppraisal, new PermitActor("demo-counter", Roles.Officer, unit), null));
                }
            }
        }
        workList.OfficerUnit = unit;
        logger.LogInformation("Filed {Count} demo dossiers in unit {Unit}: sign in as a permit officer of unit {Unit} on the map",
            filed.Count, unit, unit);
    }

    /// <summary>Registers the demo work list and its seeding (embedded mode with demo sign-in only).</summary>
    internal static IHostApplicationBuilder Register(IHostApplicationBuilder builder)
    {
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.Section));
        builder.Services.AddSingleton<DemoWorkList>();
        builder.Services.AddHostedService<DemoDossiers>();
        return builder;
    }

    /// <summary>Residential lots of 60..250 m² in the first ward that has enough of them.</summary>
    private static async Task<IReadOnlyList<Parcel>> ResidentialLotsAsync(
        IParcelStore parcels, WardBoundaries wards, int count, CancellationToken cancellationToken)
    {
        foreach (var ward in wards.All)
        {
            var found = await parcels.SearchAsync(new ParcelQuery(Unit: ward.Code, Limit: 500), cancellationToken);
            var lots = found.Items
                .Where(p => p.IsResidential && p.SourceGeometry.Area is > 60 and < 250)
                .Take(count)
                .ToList();
            if (lots.Count == count)
            {
                return lots;
            }
        }
        return [];
    }

    private static Geometry Scaled(Geometry lot, double scale)
    {
        var centre = lot.Centroid.Coordinate;
        var polygon = lot is MultiPolygon multi ? multi.GetGeometryN(0) : lot;
        return AffineTransformation.ScaleInstance(scale, scale, centre.X, centre.Y).Transform(polygon);
    }
}
