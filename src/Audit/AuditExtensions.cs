using HcmCity.Abstractions.Audit;
using HcmCity.ServiceDefaults;
using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.DependencyInjection;
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
}
