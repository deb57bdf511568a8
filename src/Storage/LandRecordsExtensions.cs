using HcmCity.Gis.Parcels;
using HcmCity.ServiceDefaults;
using HcmCity.Storage.Parcels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HcmCity.Storage;

/// <summary>Land records settings, section "LandRecords".</summary>
public sealed class LandRecordsOptions
{
    public const string Section = "LandRecords";

    /// <summary>Embedded mode: how many synthetic parcels to generate at start (0 = none).</summary>
    public int SeedParcels { get; set; } = 5_000;

    /// <summary>Seed of the synthetic city generator: the same seed gives the same city.</summary>
    public int Seed { get; set; } = 2026;

    /// <summary>Apply pending database migrations at start (production processes may leave it to the CLI verb).</summary>
    public bool MigrateOnStart { get; set; } = true;
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
        builder.Services.AddSingleton(sp => PostGisDataSource.Create(postgres, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(sp => new PostGisParcelStore(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<IParcelStore>(sp => sp.GetRequiredService<PostGisParcelStore>());
        builder.Services.AddHostedService<DatabaseMigrationService>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>Applies migrations before the host starts serving (a hosted service's StartAsync blocks start-up).</summary>
    private sealed class DatabaseMigrationService(
        NpgsqlDataSource dataSource,
        Microsoft.Extensions.Options.IOptions<LandRecordsOptions> options,
        ILogger<DatabaseMigrationService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.MigrateOnStart)
            {
                await DatabaseMigrator.MigrateAsync(dataSource, logger, cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL unreachable", e);
            }
        }
    }
}
