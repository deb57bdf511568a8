using HcmCity.Sites.Devices;
using HcmCity.Sites;
using HcmCity.ServiceDefaults;
using HcmCity.Sites.Influx;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace HcmCity.Sites.Telemetry;

public static class GatewayExtensions
{
    /// <summary>
    /// The MQTT telemetry pipeline: subscription, SenML validation, batching, InfluxDB when configured (with an
    /// on-disk buffer for its outages), and the embedded broker when <see cref="GatewayOptions.EmbeddedBroker"/> is set.
    /// </summary>
    public static IHostApplicationBuilder AddDeviceGateway(this IHostApplicationBuilder builder)
    {
        var embeddedBroker = builder.Configuration.GetValue<bool>($"{GatewayOptions.Section}:EmbeddedBroker");
        // The embedded broker lets the gateway in with its configured password, else with one made for this process.
        var processPassword = SensorSecrets.NewSecret();
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .Validate(o => o.BatchSize is > 0 and <= 100_000, $"{GatewayOptions.Section}:BatchSize must be 1..100000.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ClientId), $"{GatewayOptions.Section}:ClientId is required.")
            .Validate(o => o.MaxUnacknowledged > 0, $"{GatewayOptions.Section}:MaxUnacknowledged must be 1..65535 (MQTT 5 Receive Maximum).")
            .Validate(o => o.MaxPacketBytes is >= GatewayOptions.MinPacketBytes and <= GatewayOptions.MqttMaxPacketBytes,
                $"{GatewayOptions.Section}:MaxPacketBytes must be {GatewayOptions.MinPacketBytes}..{GatewayOptions.MqttMaxPacketBytes} (room for a SenML pack of {SenmlParser.MaxPayloadBytes} bytes, at most MQTT's largest packet).")
            .Validate(o => o.BufferMaxBytes > 0, $"{GatewayOptions.Section}:BufferMaxBytes must be positive.")
            .Validate(o => o.BufferRetryInterval > TimeSpan.Zero, $"{GatewayOptions.Section}:BufferRetryInterval must be positive.")
            .PostConfigure(o =>
            {
                if (embeddedBroker && string.IsNullOrEmpty(o.Password))
                {
                    o.Username = string.IsNullOrEmpty(o.Username) ? GatewayOptions.DefaultUsername : o.Username;
                    o.Password = processPassword;
                }
            })
            .ValidateOnStart();
        builder.Services.AddMqttOptions(builder.Configuration);
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<ReadingPipeline>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadingPipeline>());
        builder.Services.AddSingleton<MqttIngestionService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MqttIngestionService>());
        builder.Services.TryAddSingletonTimeProvider();

        // The sensor records (the embedded broker checks devices against them) and the device accounts, chosen there.
        builder.AddSites();
        if (embeddedBroker)
        {
            builder.Services.AddSingleton<EmbeddedBroker>();
            // Registered first so the broker listens before the gateway's client connects.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<EmbeddedBroker>()));
        }

        if (PlatformConfiguration.Configured(builder.Configuration).HasFlag(Dependencies.Influx))
        {
            builder.AddInfluxClient();
            // Batches InfluxDB refuses while it is down wait on disk and are replayed when it is back.
            builder.Services.AddSingleton<InfluxWriteBuffer>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<InfluxWriteBuffer>());
            builder.Services.AddSingleton<IReadingSink, InfluxReadingSink>();
        }

        // Readings also go to the Sensor grains; without InfluxDB (embedded mode) they are kept in memory for charts.
        builder.Services.AddSingleton<IReadingSink, GrainReadingSink>();
        if (!PlatformConfiguration.Configured(builder.Configuration).HasFlag(Dependencies.Influx))
        {
            builder.Services.AddSingleton<IReadingSink, RecentReadingsSink>();
        }

        builder.Services.AddHealthChecks().AddCheck<MqttHealthCheck>("mqtt", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private sealed class MqttHealthCheck(MqttIngestionService ingestion) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(ingestion.IsConnected
                ? HealthCheckResult.Healthy("gateway connected to the MQTT broker")
                : HealthCheckResult.Unhealthy("gateway not connected to the MQTT broker"));
    }
}
