using HcmCity.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcmCity.Sites.Simulator;

public static class SimulatorExtensions
{
    /// <summary>
    /// The device simulator: demo sites registered on the site repository and grains of this process, and devices
    /// publishing to ConnectionStrings:Mqtt. Needs the site records, the land records and Orleans in the process.
    /// </summary>
    public static IHostApplicationBuilder AddDeviceSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SimulatorOptions>()
            .Bind(builder.Configuration.GetSection(SimulatorOptions.Section))
            .Validate(o => o.Sites is >= 1 and <= 1_000, $"{SimulatorOptions.Section}:Sites must be 1..1000.")
            .Validate(o => double.IsFinite(o.Speed) && o.Speed is > 0 and <= 1_000_000, $"{SimulatorOptions.Section}:Speed must be above 0 and at most 1000000.")
            .Validate(o => o.PublishInterval >= TimeSpan.FromMilliseconds(10), $"{SimulatorOptions.Section}:PublishInterval must be at least 10 ms.")
            .Validate(o => o.ReconnectDelay > TimeSpan.Zero, $"{SimulatorOptions.Section}:ReconnectDelay must be positive.")
            .ValidateOnStart();
        builder.Services.AddMqttOptions(builder.Configuration);
        builder.Services.AddSingleton<DemoSites>();
        builder.Services.AddSingleton<DeviceSimulator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeviceSimulator>());
        return builder;
    }
}
