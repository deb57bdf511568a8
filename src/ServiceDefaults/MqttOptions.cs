using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HcmCity.ServiceDefaults;

/// <summary>
/// The MQTT broker the platform talks to, read once from ConnectionStrings:Mqtt ("host:port") and checked at start:
/// the gateway, the embedded broker, mosquitto's device accounts and the simulator all take it from here.
/// </summary>
public sealed class MqttOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; }

    public override string ToString() => $"{Host}:{Port}";
}

public static class MqttOptionsExtensions
{
    /// <summary>Binds and validates <see cref="MqttOptions"/> (once, however many services ask for it).</summary>
    public static IServiceCollection AddMqttOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IConfigureOptions<MqttOptions>)))
        {
            return services;
        }
        services.AddOptions<MqttOptions>()
            .Configure(o =>
            {
                if (configuration[PlatformConfiguration.MqttKey] is { Length: > 0 } value && PlatformConfiguration.CheckHostPort(value) is null)
                {
                    (o.Host, o.Port) = PlatformConfiguration.HostPort(value);
                }
            })
            .Validate(o => o.Host.Length > 0 && o.Port is > 0 and < 65536,
                $"{PlatformConfiguration.MqttKey} must be the broker's host:port, e.g. 127.0.0.1:1883.")
            .ValidateOnStart();
        return services;
    }
}
