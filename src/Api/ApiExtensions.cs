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

    /// <summary>
    /// Largest SignalR message a client may send to the map hub (subscriptions: a ward, a site id or a bbox). The
    /// server closes the connection of a client sending more; the hub and other connections carry on.
    /// </summary>
    public const long MaxHubMessageBytes = 32 * 1024;

    public static IHostApplicationBuilder AddHcmApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestBodyLimits.NameTheBody);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddExceptionHandler<BodyProblemExceptionHandler>();
        // Body binding failures (malformed JSON, wrong media type, too large) are thrown, so that the exception
        // handlers answer them as problem+json naming "body" rather than as an empty 4xx.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // OpenAPI 3.0: what the OGC API - Features conformance class oas30 and its service-desc link declare.
        builder.Services.AddOpenApi(o => o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0);
        // Explicit hub limits: a client message over MaxHubMessageBytes closes that connection, nothing else.
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = MaxHubMessageBytes);
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
        app.UseRequestBodyLimit();
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
