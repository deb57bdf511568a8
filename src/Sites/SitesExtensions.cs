using HcmCity.ServiceDefaults;
using HcmCity.ServiceDefaults.Postgres;
using HcmCity.Sites.Devices;
using HcmCity.Sites.Influx;
using HcmCity.Sites.Live;
using HcmCity.Sites.Public;
using HcmCity.Sites.Records;
using HcmCity.Sites.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HcmCity.Sites;

public static class SitesExtensions
{
    /// <summary>
    /// Construction sites wherever their grains, API or gateway run: the site repository (PostgreSQL when
    /// ConnectionStrings:Postgres is set, memory otherwise), sensor credentials, reading history (InfluxDB when
    /// ConnectionStrings:Influx is set, recent readings in memory otherwise), the "Sites" options, and the broker's
    /// device accounts, chosen here once: mosquitto's dynamic security when <c>Mqtt:AdminUsername</c> is set, the
    /// embedded broker of this process when <c>Gateway:EmbeddedBroker</c> is, else none to tell.
    /// </summary>
    public static IHostApplicationBuilder AddSites(this IHostApplicationBuilder builder)
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
        builder.Services.AddSingleton<SiteProvisioning>();
        var configured = PlatformConfiguration.Configured(builder.Configuration);
        if (configured.HasFlag(Dependencies.Postgres))
        {
            builder.AddPostgresSchema(typeof(SitesExtensions).Assembly);
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
            builder.Services.AddSingleton<InMemoryReadingHistory>();
            builder.Services.AddSingleton<IReadingHistory>(sp => sp.GetRequiredService<InMemoryReadingHistory>());
        }
        AddDeviceAccess(builder);
        return builder;
    }

    /// <summary>
    /// What the sites API adds on a host that serves it: the endpoints' services and live push to this host's hub.
    /// Production requires mosquitto's admin account here, since provisioning a sensor creates its broker account.
    /// </summary>
    public static IHostApplicationBuilder AddSitesApi(this IHostApplicationBuilder builder)
    {
        builder.AddSites();
        if (PlatformConfiguration.Mode(builder.Configuration) == PlatformMode.Production)
        {
            MqttAdminOptions.Require(builder.Configuration);
        }
        builder.Services.AddSingleton<SiteServices>();
        builder.AddLivePush();
        return builder;
    }

    public static WebApplication MapSitesEndpoints(this WebApplication app)
    {
        app.MapHub<MapHub>(MapHub.Path);
        app.MapSitesApi();
        app.MapPublicSitesApi();
        return app;
    }

    private static void AddDeviceAccess(IHostApplicationBuilder builder)
    {
        var admin = builder.Configuration.GetSection(MqttAdminOptions.Section).Get<MqttAdminOptions>() ?? new MqttAdminOptions();
        if (!string.IsNullOrWhiteSpace(admin.AdminUsername))
        {
            MqttAdminOptions.Require(builder.Configuration);
            builder.Services.AddMqttOptions(builder.Configuration);
            builder.Services.Configure<MqttAdminOptions>(builder.Configuration.GetSection(MqttAdminOptions.Section));
            builder.Services.AddSingleton<IDeviceAccess, MosquittoDeviceAccess>();
        }
        else if (builder.Configuration.GetValue<bool>($"{GatewayOptions.Section}:{nameof(GatewayOptions.EmbeddedBroker)}"))
        {
            builder.Services.AddMqttOptions(builder.Configuration);
            builder.Services.AddSingleton<IDeviceAccess>(sp => sp.GetRequiredService<EmbeddedBroker>());
        }
        else
        {
            builder.Services.AddSingleton<IDeviceAccess, UnmanagedDeviceAccess>();
        }
    }
}
