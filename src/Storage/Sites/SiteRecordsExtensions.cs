using HcmCity.ServiceDefaults;
using HcmCity.Storage.Influx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HcmCity.Storage.Sites;

public static class SiteRecordsExtensions
{
    /// <summary>
    /// The site repository (PostgreSQL when ConnectionStrings:Postgres is set, memory otherwise), sensor credentials,
    /// reading history (InfluxDB when ConnectionStrings:Influx is set, recent readings in memory otherwise) and the
    /// "Sites" options. Needed wherever site grains run and wherever the sites API is served.
    /// </summary>
    public static IHostApplicationBuilder AddSiteRecords(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(ISiteRepository)))
        {
            return builder;
        }
        builder.Services.AddOptions<SitesOptions>()
            .Bind(builder.Configuration.GetSection(SitesOptions.Section))
            .Validate(o => o.Monitoring.OfflineAfter > TimeSpan.Zero, $"{SitesOptions.Section}:Monitoring:OfflineAfter must be positive.")
            .Validate(o => o.Monitoring.RaiseAfter >= 1 && o.Monitoring.ClearAfter >= 1, $"{SitesOptions.Section}:Monitoring:RaiseAfter and ClearAfter must be 1 or more.")
            .Validate(o => o.RecentReadingsPerDevice > 0 && o.RecentReadingsDevices > 0, $"{SitesOptions.Section}:RecentReadings* must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ISensorCredentials, SensorCredentials>();
        // Replaced by the host that manages a broker: the embedded broker, or mosquitto's dynamic security.
        builder.Services.TryAddSingleton<IDeviceAccess, UnmanagedDeviceAccess>();
        var configured = PlatformConfiguration.Configured(builder.Configuration);
        if (configured.HasFlag(Dependencies.Postgres))
        {
            // The land records bring the data source and the migrations (0006_sites.sql among them).
            builder.AddLandRecords();
            builder.Services.AddSingleton<ISiteRepository>(sp => new PostgresSiteRepository(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            builder.Services.AddSingleton<ISiteRepository, InMemorySiteRepository>();
        }
        if (configured.HasFlag(Dependencies.Influx))
        {
            builder.AddInfluxClient();
            builder.Services.AddSingleton<IReadingHistory, InfluxReadingHistory>();
        }
        else
        {
            builder.Services.TryAddSingleton<InMemoryReadingHistory>();
            builder.Services.AddSingleton<IReadingHistory>(sp => sp.GetRequiredService<InMemoryReadingHistory>());
        }
        return builder;
    }
}
