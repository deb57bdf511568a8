using HcmCity.Api.Auth;
using HcmCity.Api.Hubs;
using HcmCity.Api.Problems;
using HcmCity.Api.Sites;
using HcmCity.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace HcmCity.Api;

public static class ApiExtensions
{
    /// <summary>Body size limit for every endpoint; site plans and queries are small.</summary>
    public const long MaxRequestBodyBytes = 2 * 1024 * 1024;

    public static IHostApplicationBuilder AddHcmApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // OpenAPI 3.0: what the OGC API - Features conformance class oas30 and its service-desc link declare.
        builder.Services.AddOpenApi(o => o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0);
        builder.Services.AddSignalR();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.AddHcmAuth();
        Developers.DeveloperKeysApi.AddDeveloperKeys(builder);
        builder.AddLandRecords();
        Storage.Permits.PermitsExtensions.AddPermits(builder);
        builder.AddSites();
        // Embedded rule sets (a new decision is a new *.rules.json); a host may register its own catalog first.
        builder.Services.TryAddSingleton(_ => Gis.Compliance.RuleSetCatalog.Embedded());
        EPermits.EPermitsExtensions.AddEPermits(builder);
        if (builder.Configuration.GetValue<bool>($"{AuthOptions.Section}:{nameof(AuthOptions.DemoSignIn)}"))
        {
            Demo.DemoDossiers.Register(builder);
        }
        return builder;
    }

    public static WebApplication MapHcmApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: requests are limited per developer API key.
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference("/api/docs");
        app.MapDemoSignIn();
        app.MapHub<MapHub>(MapHub.Path);
        Parcels.ParcelsApi.MapParcelsApi(app);
        Ogc.OgcApi.MapOgcApi(app);
        Tiles.TilesApi.MapTilesApi(app);
        MapData.MapDataApi.MapMapDataApi(app);
        Permits.PermitsApi.MapPermitsApi(app);
        Sites.SitesApi.MapSitesApi(app);
        SitePlans.SitePlansApi.MapSitePlansApi(app);
        Developers.DeveloperKeysApi.MapDeveloperKeysApi(app);
        EPermits.EPermitsApi.MapEPermitsApi(app);
        return app;
    }
}
