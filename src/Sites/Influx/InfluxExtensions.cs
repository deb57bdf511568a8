using HcmCity.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace HcmCity.Sites.Influx;

public static class InfluxExtensions
{
    /// <summary>Registers <see cref="InfluxClient"/> for ConnectionStrings:Influx and a readiness check.</summary>
    public static IHostApplicationBuilder AddInfluxClient(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(InfluxClient)))
        {
            return builder;
        }
        builder.Services.AddOptions<InfluxOptions>()
            .Bind(builder.Configuration.GetSection(InfluxOptions.Section))
            .Configure(o => o.Url ??= new Uri(builder.Configuration[PlatformConfiguration.InfluxKey]!.TrimEnd('/') + "/"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Database), $"{InfluxOptions.Section}:Database is required.")
            .ValidateOnStart();
        builder.Services.AddHttpClient<InfluxClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHealthChecks().AddCheck<InfluxHealthCheck>("influxdb", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    private sealed class InfluxHealthCheck(InfluxClient influx) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await influx.PingAsync(cancellationToken)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("InfluxDB /ping did not answer 204");
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("InfluxDB unreachable", e);
            }
        }
    }
}
