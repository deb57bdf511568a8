using HcmCity.Platform;
using HcmCity.Web.Auth;
using HcmCity.Sites.Telemetry;
using HcmCity.Sites.Simulator;
using HcmCity.ServiceDefaults;
using Microsoft.Extensions.Configuration.Memory;
using Orleans.Dashboard;

namespace HcmCity.Silo.Hosting;

/// <summary>
/// Builds the silo process. Embedded mode (the default) adds the Api, the DeviceGateway with the embedded MQTT
/// broker, the device simulator and the web map, so one command runs a live city with no database.
/// </summary>
public static class PlatformHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Defaults of the embedded mode, below every other configuration source (so any can override them).</summary>
    private static readonly Dictionary<string, string?> EmbeddedDefaults = new()
    {
        ["urls"] = DefaultUrl,
        [PlatformConfiguration.MqttKey] = "127.0.0.1:1883",
        ["Gateway:EmbeddedBroker"] = "true",
        ["Gateway:SharedGroup"] = "",
        [$"{SimulatorOptions.Section}:Enabled"] = "true",
    };

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        var mode = PlatformConfiguration.Mode(builder.Configuration);
        if (mode == PlatformMode.Embedded)
        {
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = EmbeddedDefaults });
        }
        var hostApi = builder.Configuration.GetValue("Platform:HostApi", true);
        var hostGateway = builder.Configuration.GetValue("Platform:HostGateway", true);
        var required = mode == PlatformMode.Production
            ? Dependencies.Redis | Dependencies.Postgres | (hostGateway ? Dependencies.Mqtt | Dependencies.Influx : 0) | (hostApi ? Dependencies.Mqtt : 0)
            : hostGateway ? Dependencies.Mqtt : Dependencies.None;
        PlatformConfiguration.Validate(builder.Configuration, required);

        builder.AddServiceDefaults();
        builder.UseOrleans(silo => OrleansSiloSetup.Configure(silo, builder.Configuration));
        builder.AddGrainServices();
        if (hostApi)
        {
            builder.AddHcmApi();
        }
        else
        {
            builder.AddHcmAuth();
        }
        if (hostGateway)
        {
            builder.AddDeviceGateway();
            // On by default in embedded mode only (a live city for newcomers); elsewhere only when set.
            if (builder.Configuration.GetValue<bool>($"{SimulatorOptions.Section}:Enabled"))
            {
                builder.AddDeviceSimulator();
            }
        }

        var app = builder.Build();
        if (hostApi)
        {
            app.UseDefaultFiles();
            app.UseStaticFiles();
            app.MapHcmApi();
        }
        else
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        app.MapDefaultEndpoints();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(Roles.Admin);
        return app;
    }

    public static async Task RunAsync(string[] args)
    {
        var app = Build(args);
        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app));
        await app.RunAsync();
    }

    private static void PrintWelcome(WebApplication app)
    {
        var url = app.Urls.FirstOrDefault() ?? DefaultUrl;
        var mode = PlatformConfiguration.Mode(app.Configuration);
        Console.WriteLine($"""

            HcmCity is running ({mode} mode).
              Bản đồ / Map:          {url}/
              API docs (OpenAPI):    {url}/api/docs
              OGC API - Features:    {url}/ogc
              Health:                {url}/health/ready
              Metrics (Prometheus):  {url}/metrics
              Orleans dashboard:     {url}/dashboard  (admin role)
              MQTT broker:           {app.Configuration[PlatformConfiguration.MqttKey]}
            Press Ctrl+C to stop.

            """);
    }
}
