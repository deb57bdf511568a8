using HcmCity.Api.Devices;
using HcmCity.Api.Live;
using HcmCity.ServiceDefaults;
using HcmCity.Storage.Sites;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HcmCity.Api.Sites;

public static class SitesExtensions
{
    /// <summary>
    /// Site records and monitoring settings, the endpoints' services, live push to this host's hub, and the broker's
    /// device accounts: mosquitto's dynamic security when <c>Mqtt:AdminUsername</c> is set (required in production),
    /// else the embedded broker of this process, if any.
    /// </summary>
    public static IHostApplicationBuilder AddSites(this IHostApplicationBuilder builder)
    {
        builder.AddSiteRecords();
        builder.Services.AddSingleton<SiteServices>();
        builder.AddLivePush();

        var admin = builder.Configuration.GetSection(MqttAdminOptions.Section).Get<MqttAdminOptions>() ?? new MqttAdminOptions();
        var production = PlatformConfiguration.Mode(builder.Configuration) == PlatformMode.Production;
        if (production || !string.IsNullOrWhiteSpace(admin.AdminUsername))
        {
            foreach (var (key, value) in new[]
            {
                (PlatformConfiguration.MqttKey, builder.Configuration[PlatformConfiguration.MqttKey]),
                ($"{MqttAdminOptions.Section}:{nameof(MqttAdminOptions.AdminUsername)}", admin.AdminUsername),
                ($"{MqttAdminOptions.Section}:{nameof(MqttAdminOptions.AdminPassword)}", admin.AdminPassword),
            })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new ConfigurationException(
                        $"{key} is missing; the API manages device accounts on mosquitto's dynamic-security plugin with it " +
                        $"(set it in appsettings or the environment variable {key.Replace(":", "__")}).");
                }
            }
            builder.Services.Configure<MqttAdminOptions>(builder.Configuration.GetSection(MqttAdminOptions.Section));
            builder.Services.Replace(ServiceDescriptor.Singleton<IDeviceAccess, MosquittoDeviceAccess>());
        }
        return builder;
    }
}
