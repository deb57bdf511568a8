using HcmCity.Audit;
using HcmCity.LandRecords;
using HcmCity.Platform.MapData;
using HcmCity.Permits;
using HcmCity.Sites;
using HcmCity.Sites.Live;
using HcmCity.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using HcmCity.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Scalar.AspNetCore;
using StackExchange.Redis;

namespace HcmCity.Platform;

/// <summary>How the hosts compose the capabilities: one place, so the silo and the API process cannot drift apart.</summary>
public static class PlatformExtensions
{
    /// <summary>
    /// What every grain needs wherever it is activated: the capabilities' stores, clocks and rules. The silo calls
    /// this and nothing else for its grains, whether or not it also serves the API.
    /// </summary>
    public static IHostApplicationBuilder AddGrainServices(this IHostApplicationBuilder builder)
    {
        builder.AddAudit();
        builder.AddLandRecords();
        builder.AddPermits();
        builder.AddSites();
        return builder;
    }

    /// <summary>The HTTP API: every capability's endpoints and services, the SignalR hub and the API reference.</summary>
    public static IHostApplicationBuilder AddHcmApi(this IHostApplicationBuilder builder)
    {
        builder.AddHcmWeb();
        // OpenAPI 3.0: what the OGC API - Features conformance class oas30 and its service-desc link declare.
        builder.Services.AddOpenApi(o => o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0);
        // Explicit hub limits: a client message over MaxMessageBytes closes that connection, nothing else.
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = MapHub.MaxMessageBytes);
        builder.AddAuditCheckpoints();
        builder.AddLandRecords();
        builder.AddPermits();
        builder.AddSitesApi();
        return builder;
    }

    /// <summary>
    /// A host that is not a silo (the API or the gateway process in production): an Orleans client of the silos,
    /// found through Redis clustering, with the cluster identity of section "Orleans".
    /// </summary>
    public static IHostApplicationBuilder UseSiloClient(this IHostApplicationBuilder builder)
    {
        var redis = builder.Configuration[PlatformConfiguration.RedisKey]!;
        builder.UseOrleansClient(client => client
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis))
            .Configure<Orleans.Configuration.ClusterOptions>(builder.Configuration.GetSection("Orleans")));
        return builder;
    }

    public static WebApplication MapHcmApi(this WebApplication app)
    {
        app.UseHcmWeb();
        app.MapOpenApi();
        app.MapScalarApiReference("/api/docs");
        app.MapLandRecordsEndpoints();
        app.MapMapDataApi();
        app.MapPermitsEndpoints();
        app.MapSitesEndpoints();
        app.MapAuditApi();
        return app;
    }
}
