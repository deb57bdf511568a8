using HcmCity.Abstractions;
using HcmCity.ServiceDefaults;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace HcmCity.Silo.Hosting;

/// <summary>Cluster identity and ports, section "Orleans".</summary>
public sealed class OrleansHostingOptions
{
    public const string Section = "Orleans";

    public string ClusterId { get; set; } = "hcmcity";

    public string ServiceId { get; set; } = "hcmcity";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo on (production: the container's address).</summary>
    public string? AdvertisedIp { get; set; }
}

/// <summary>
/// The silo's providers. With ConnectionStrings:Redis: Redis clustering, grain storage and reminders (production,
/// several silos). Without: localhost clustering with in-memory storage and reminders (embedded, one process).
/// </summary>
public static class OrleansSiloSetup
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        var hosting = configuration.GetSection(OrleansHostingOptions.Section).Get<OrleansHostingOptions>() ?? new();
        var redis = configuration[PlatformConfiguration.RedisKey];
        if (string.IsNullOrWhiteSpace(redis))
        {
            silo.UseLocalhostClustering(hosting.SiloPort, hosting.GatewayPort, serviceId: hosting.ServiceId, clusterId: hosting.ClusterId);
            silo.AddMemoryGrainStorage(GrainStorage.Name);
            silo.UseInMemoryReminderService();
        }
        else
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = hosting.ClusterId;
                o.ServiceId = hosting.ServiceId;
            });
            silo.ConfigureEndpoints(
                hosting.AdvertisedIp is { Length: > 0 } ip ? System.Net.IPAddress.Parse(ip) : System.Net.IPAddress.Loopback,
                hosting.SiloPort, hosting.GatewayPort, listenOnAnyHostAddress: hosting.AdvertisedIp is { Length: > 0 });
            AddRedisProviders(silo, redis);
        }
        silo.AddDashboard();
    }

    /// <summary>Redis clustering, grain storage and reminders from one connection string.</summary>
    public static void AddRedisProviders(ISiloBuilder silo, string redis)
    {
        silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        silo.AddRedisGrainStorage(GrainStorage.Name, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
    }
}
