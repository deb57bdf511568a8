using HcmCity.Sites.Telemetry;
using HcmCity.ServiceDefaults;
using StackExchange.Redis;

// The gateway as its own process (production): MQTT subscriber, Orleans client of the silos.
return await ConfigurationGuard.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    PlatformConfiguration.Validate(builder.Configuration, Dependencies.Redis | Dependencies.Mqtt | Dependencies.Influx);
    builder.AddServiceDefaults();
    var redis = builder.Configuration[PlatformConfiguration.RedisKey]!;
    builder.UseOrleansClient(client => client
        .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis))
        .Configure<Orleans.Configuration.ClusterOptions>(builder.Configuration.GetSection("Orleans")));
    builder.AddDeviceGateway();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    await app.RunAsync();
});
