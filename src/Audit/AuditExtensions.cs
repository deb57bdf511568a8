using HcmCity.Abstractions.Audit;
using HcmCity.Audit.Checkpoints;
using HcmCity.ServiceDefaults;
using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HcmCity.Audit;

public static class AuditExtensions
{
    /// <summary>
    /// The audit trail: PostgreSQL when ConnectionStrings:Postgres is set (tables audit_log and audit_head, migrated
    /// with the other capabilities' tables), in memory otherwise (embedded mode).
    /// </summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IAuditTrail)))
        {
            return builder;
        }
        if (string.IsNullOrWhiteSpace(builder.Configuration[PlatformConfiguration.PostgresKey]))
        {
            builder.Services.AddSingleton<InMemoryAuditTrail>();
            builder.Services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<InMemoryAuditTrail>());
            builder.Services.AddSingleton<ISynchronousAuditTrail>(sp => sp.GetRequiredService<InMemoryAuditTrail>());
            return builder;
        }
        builder.AddPostgresSchema(typeof(AuditExtensions).Assembly);
        builder.Services.AddSingleton(sp => new PostgresAuditTrail(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<PostgresAuditTrail>());
        builder.Services.AddSingleton<ITransactionalAuditTrail>(sp => sp.GetRequiredService<PostgresAuditTrail>());
        return builder;
    }

    /// <summary>
    /// Signed checkpoints of the audit chain (section "Audit"): the key from Audit:CheckpointKeyPem and the directory
    /// Audit:CheckpointDirectory, both required in production (a missing or unreadable one stops the start, named);
    /// embedded mode generates a key and writes no checkpoint unless given a directory. Where the API is served.
    /// </summary>
    public static IHostApplicationBuilder AddAuditCheckpoints(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(AuditCheckpointing)))
        {
            return builder;
        }
        builder.AddAudit();
        var section = builder.Configuration.GetSection(AuditCheckpointOptions.Section);
        var options = section.Get<AuditCheckpointOptions>() ?? new AuditCheckpointOptions();
        var production = PlatformConfiguration.Mode(builder.Configuration) == PlatformMode.Production;
        var keySetting = $"{AuditCheckpointOptions.Section}:{nameof(AuditCheckpointOptions.CheckpointKeyPem)}";
        var directorySetting = $"{AuditCheckpointOptions.Section}:{nameof(AuditCheckpointOptions.CheckpointDirectory)}";
        AuditCheckpointKey key;
        if (string.IsNullOrWhiteSpace(options.CheckpointKeyPem))
        {
            key = production
                ? throw new ConfigurationException(
                    $"{keySetting} is missing; production signs the audit trail's checkpoints with a key the database does not hold " +
                    "(create one with `keys generate --out <file>`).")
                : AuditCheckpointKey.Generate();
        }
        else
        {
            try
            {
                key = AuditCheckpointKey.FromPem(options.CheckpointKeyPem);
            }
            catch (AuditCheckpointKeyException e)
            {
                throw new ConfigurationException($"{keySetting} is not valid: {e.Message}");
            }
            if (!key.HasPrivateKey)
            {
                throw new ConfigurationException($"{keySetting} must hold a private key.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.CheckpointDirectory) && production)
        {
            throw new ConfigurationException(
                $"{directorySetting} is missing; production anchors the audit trail in signed checkpoints written there, outside the database.");
        }
        if (options.CheckpointInterval <= TimeSpan.Zero || options.CheckpointInterval > TimeSpan.FromDays(1))
        {
            throw new ConfigurationException(
                $"{AuditCheckpointOptions.Section}:{nameof(AuditCheckpointOptions.CheckpointInterval)} must be positive and at most one day.");
        }
        var directory = string.IsNullOrWhiteSpace(options.CheckpointDirectory) ? null : new AuditCheckpointDirectory(options.CheckpointDirectory);
        builder.Services.Configure<AuditCheckpointOptions>(section);
        builder.Services.AddSingleton(new AuditCheckpointing(key, directory));
        if (directory is not null)
        {
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddSingleton(sp => new AuditCheckpointWriter(
                sp.GetRequiredService<IAuditTrail>(), key, directory, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<AuditCheckpointWriter>>()));
            builder.Services.AddHostedService<AuditCheckpointService>();
        }
        return builder;
    }
}
