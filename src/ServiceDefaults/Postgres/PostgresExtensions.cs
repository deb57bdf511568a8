using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HcmCity.ServiceDefaults.Postgres;

/// <summary>PostgreSQL settings, section "Postgres".</summary>
public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    /// <summary>Apply pending database migrations at start (production processes may leave it to the CLI verb).</summary>
    public bool MigrateOnStart { get; set; } = true;
}

/// <summary>The migrations of one capability, registered by its AddX().</summary>
public sealed record MigrationSource(Assembly Assembly);

public static class PostgresExtensions
{
    /// <summary>
    /// The platform's one data source on ConnectionStrings:Postgres (added once), the migrations embedded in
    /// <paramref name="capability"/> (applied at start with every other registered capability's, in version order)
    /// and the readiness check. Call only when ConnectionStrings:Postgres is set.
    /// </summary>
    public static IHostApplicationBuilder AddPostgresSchema(this IHostApplicationBuilder builder, Assembly capability)
    {
        ArgumentNullException.ThrowIfNull(capability);
        var connectionString = builder.Configuration[PlatformConfiguration.PostgresKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{PlatformConfiguration.PostgresKey} is not set.");
        }
        if (builder.Services.Any(d => d.ServiceType == typeof(MigrationSource) && d.ImplementationInstance is MigrationSource m && m.Assembly == capability))
        {
            return builder;
        }
        builder.Services.AddSingleton(new MigrationSource(capability));
        if (builder.Services.Any(d => d.ServiceType == typeof(NpgsqlDataSource)))
        {
            return builder;
        }
        builder.Services.AddOptions<PostgresOptions>().Bind(builder.Configuration.GetSection(PostgresOptions.Section));
        builder.Services.TryAddSingleton(sp => PostGisDataSource.Create(connectionString, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService<DatabaseMigrationService>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Applies migrations before the host starts serving (a hosted service's StartAsync blocks start-up), as the
    /// schema's owner (ConnectionStrings:PostgresOwner) when set: the application's own role may own nothing.
    /// </summary>
    private sealed class DatabaseMigrationService(
        NpgsqlDataSource dataSource,
        IEnumerable<MigrationSource> sources,
        IOptions<PostgresOptions> options,
        IConfiguration configuration,
        ILoggerFactory loggerFactory,
        ILogger<DatabaseMigrationService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.MigrateOnStart)
            {
                return;
            }
            var migrations = DatabaseMigrator.Embedded([DatabaseMigrator.Base, .. sources.Select(s => s.Assembly)]);
            if (configuration[PlatformConfiguration.PostgresOwnerKey] is not { Length: > 0 } owner)
            {
                await DatabaseMigrator.MigrateAsync(dataSource, migrations, logger, cancellationToken);
                return;
            }
            int applied;
            await using (var ownerSource = PostGisDataSource.Create(owner, loggerFactory))
            {
                applied = await DatabaseMigrator.MigrateAsync(ownerSource, migrations, logger, cancellationToken);
            }
            if (applied > 0)
            {
                // The application's connections may have loaded their types before the owner created PostGIS's.
                await dataSource.ReloadTypesAsync(cancellationToken);
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
