using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace HcmCity.ServiceDefaults;

/// <summary>What every HcmCity host shares: structured logs, OpenTelemetry metrics, health endpoints.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag are run by /health/ready (each configured dependency).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Meters of our own code are named under this prefix, e.g. "HcmCity.DeviceGateway".</summary>
    public const string MeterPrefix = "HcmCity.";

    /// <summary>
    /// Log levels every host (silo, API, gateway) starts from, below every configuration source, so appsettings,
    /// environment (Logging__LogLevel__Npgsql=Debug) or command line change them. They hold wherever the process is
    /// started from, which an appsettings.json read from the working directory would not.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> LogLevelDefaults { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Orleans.Runtime.Silo"] = "Information",
        ["Logging:LogLevel:Orleans.Runtime.SiloOptionsLogger"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:MQTTnet"] = "Warning",
        // Npgsql logs every command at Information: 24 MB of log for 86,000 parcel lookups (bench/ApiLoad), and
        // CPU taken from the lookups themselves.
        ["Logging:LogLevel:Npgsql"] = "Warning",
    };

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LogLevelDefaults });

        // Structured logs: JSON lines for collectors in production, readable lines for a developer.
        if (builder.Configuration["Logging:Format"] == "json")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("Microsoft.Orleans")
            .AddMeter("Npgsql")
            .AddMeter(MeterPrefix + "*")
            .AddPrometheusExporter());

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
            ResponseWriter = WriteHealthJson,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live") || check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthJson,
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static Task WriteHealthJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            totalMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description,
                    error = e.Value.Exception?.Message,
                    ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
