using HcmCity.Platform;
using HcmCity.Sites.Telemetry;
using HcmCity.ServiceDefaults;

// The gateway as its own process (production): MQTT subscriber, Orleans client of the silos.
return await ConfigurationGuard.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    PlatformConfiguration.Validate(builder.Configuration, Dependencies.Redis | Dependencies.Mqtt | Dependencies.Influx);
    builder.AddServiceDefaults();
    builder.UseSiloClient();
    builder.AddDeviceGateway();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    await app.RunAsync();
});
