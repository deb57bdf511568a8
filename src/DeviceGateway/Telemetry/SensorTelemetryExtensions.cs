using HcmCity.ServiceDefaults;
using HcmCity.Storage.Sites;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HcmCity.DeviceGateway.Telemetry;

public static class SensorTelemetryExtensions
{
    /// <summary>
    /// Readings also go to the Sensor grains; without InfluxDB (embedded mode) they are kept in memory for charts.
    /// </summary>
    public static IServiceCollection AddSensorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IReadingSink, GrainReadingSink>();
        if (!PlatformConfiguration.Configured(configuration).HasFlag(Dependencies.Influx))
        {
            services.AddOptions<SitesOptions>().Bind(configuration.GetSection(SitesOptions.Section));
            services.TryAddSingleton<InMemoryReadingHistory>();
            services.AddSingleton<IReadingSink, RecentReadingsSink>();
        }
        return services;
    }
}
