using HcmCity.Platform;
using HcmCity.ServiceDefaults;

// The API as its own process (production): an Orleans client of the silos, found through Redis clustering, and the
// admin of mosquitto's device accounts.
return await ConfigurationGuard.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    PlatformConfiguration.Validate(builder.Configuration, Dependencies.Redis | Dependencies.Postgres | Dependencies.Mqtt);
    builder.AddServiceDefaults();
    builder.UseSiloClient();
    builder.AddHcmApi();

    var app = builder.Build();
    app.MapHcmApi();
    app.MapDefaultEndpoints();
    await app.RunAsync();
});
