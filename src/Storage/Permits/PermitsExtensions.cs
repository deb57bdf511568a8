using HcmCity.Gis.Calendar;
using HcmCity.ServiceDefaults;
using HcmCity.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HcmCity.Storage.Permits;

public static class PermitsExtensions
{
    /// <summary>
    /// Permit dossiers and the audit trail: PostgreSQL when ConnectionStrings:Postgres is set (sharing the land
    /// records' data source and migrations), in memory otherwise (embedded mode); plus the working-day calendar and
    /// the statutory clock.
    /// </summary>
    public static IHostApplicationBuilder AddPermits(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IPermitRepository)))
        {
            return builder;
        }
        builder.AddLandRecords();
        builder.Services.AddOptions<PermitOptions>()
            .Bind(builder.Configuration.GetSection(PermitOptions.Section))
            .Validate(o => o.StatutoryWorkingDays is >= 1 and <= 60, $"{PermitOptions.Section}:StatutoryWorkingDays must be 1..60.")
            .Validate(o => o.WarningWorkingDays >= 0 && o.WarningWorkingDays < o.StatutoryWorkingDays,
                $"{PermitOptions.Section}:WarningWorkingDays must be 0..StatutoryWorkingDays-1.")
            .Validate(o => o.CheckInterval > TimeSpan.Zero && o.CheckInterval <= TimeSpan.FromDays(1),
                $"{PermitOptions.Section}:CheckInterval must be positive and at most one day.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.DossierPrefix), $"{PermitOptions.Section}:DossierPrefix is required.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(VietnamWorkingCalendar.Default);
        builder.Services.TryAddSingleton<PermitClock>();

        if (string.IsNullOrWhiteSpace(builder.Configuration[PlatformConfiguration.PostgresKey]))
        {
            builder.Services.AddSingleton<InMemoryAuditTrail>();
            builder.Services.AddSingleton<IAuditTrail>(sp => sp.GetRequiredService<InMemoryAuditTrail>());
            builder.Services.AddSingleton<IPermitRepository, InMemoryPermitRepository>();
            return builder;
        }
        builder.Services.AddSingleton<IAuditTrail>(sp => new PostgresAuditTrail(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<IPermitRepository>(sp => new PostgresPermitRepository(sp.GetRequiredService<NpgsqlDataSource>()));
        return builder;
    }
}
