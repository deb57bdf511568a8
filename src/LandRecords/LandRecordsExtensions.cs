using HcmCity.LandRecords.Ogc;
using HcmCity.LandRecords.Tiles;
using Microsoft.AspNetCore.Routing;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.ServiceDefaults;
using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HcmCity.LandRecords;

/// <summary>Land records settings, section "LandRecords".</summary>
public sealed class LandRecordsOptions
{
    public const string Section = "LandRecords";

    /// <summary>Embedded mode: how many synthetic parcels to generate at start (0 = none).</summary>
    public int SeedParcels { get; set; } = 5_000;

    /// <summary>Seed of the synthetic city generator: the same seed gives the same city.</summary>
    public int Seed { get; set; } = 2026;
}

public static class LandRecordsExtensions
{
    /// <summary>
    /// The parcel store: PostGIS when ConnectionStrings:Postgres is set (migrated at start), otherwise the in-memory
    /// store seeded with a synthetic city (embedded mode).
    /// </summary>
    public static IHostApplicationBuilder AddLandRecords(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IParcelStore)))
        {
            return builder;
        }
        builder.Services.AddOptions<LandRecordsOptions>()
            .Bind(builder.Configuration.GetSection(LandRecordsOptions.Section))
            .Validate(o => o.SeedParcels is >= 0 and <= 3_000_000, $"{LandRecordsOptions.Section}:SeedParcels must be 0..3000000.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WardBoundaries>();
        var postgres = builder.Configuration[PlatformConfiguration.PostgresKey];
        if (string.IsNullOrWhiteSpace(postgres))
        {
            builder.Services.AddSingleton<InMemoryParcelStore>();
            builder.Services.AddSingleton<IParcelStore>(sp => sp.GetRequiredService<InMemoryParcelStore>());
            builder.Services.AddHostedService<SyntheticCitySeeder>();
            return builder;
        }
        builder.AddPostgresSchema(typeof(LandRecordsExtensions).Assembly);
        builder.Services.AddSingleton(sp => new PostGisParcelStore(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<IParcelStore>(sp => sp.GetRequiredService<PostGisParcelStore>());
        return builder;
    }

    /// <summary>Parcels, OGC API - Features and vector tiles.</summary>
    public static IEndpointRouteBuilder MapLandRecordsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapParcelsApi();
        app.MapOgcApi();
        app.MapTilesApi();
        return app;
    }
}
