using HcmCity.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HcmCity.Sites.Simulator;

/// <summary>
/// Once the host has started (silo, stores and broker up), registers the demo sites and runs their devices until
/// shutdown. Whatever goes wrong is logged: the simulator never takes the platform down with it.
/// </summary>
public sealed class DeviceSimulator(
    IOptions<SimulatorOptions> options,
    IOptions<MqttOptions> mqtt,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    DemoSites sites,
    TimeProvider time,
    ILogger<DeviceSimulator> logger) : BackgroundService
{
    private IReadOnlyList<SimulatedDevice> _devices = [];
    private int _outage;

    /// <summary>The running devices; empty until the sites are registered.</summary>
    public IReadOnlyList<SimulatedDevice> Devices => Volatile.Read(ref _devices);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WhenStartedAsync(stoppingToken);
            var settings = options.Value;
            var data = SimulatorData.Load(settings, environment.ContentRootPath, logger);
            var devices = await sites.RegisterAsync(settings.Sites, data, stoppingToken);
            if (devices.Count == 0)
            {
                logger.LogWarning("Device simulator: no parcel to place a demo site on (LandRecords:SeedParcels is 0?); no simulated devices run");
                return;
            }
            Volatile.Write(ref _devices, devices);
            var (host, port) = (mqtt.Value.Host, mqtt.Value.Port);
            logger.LogInformation(
                "Device simulator (thiết bị mô phỏng): {Sites} sites in {Wards} wards, {Devices} devices on MQTT {Host}:{Port}, replaying {Noise} and {Dust} at {Speed}x",
                devices.Select(d => d.SiteId).Distinct().Count(), devices.Select(d => d.Ward).Distinct().Count(), devices.Count, host, port,
                data.Noise.Source, data.Dust.Source, settings.Speed);
            var started = time.GetTimestamp();
            TimeSpan Elapsed() => time.GetElapsedTime(started) * settings.Speed;
            await Task.WhenAll(devices.Select(d => d.RunAsync(host, port, settings, time, Elapsed, ConnectionChanged, logger, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Device simulator stopped; the platform runs on without simulated devices");
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    /// <summary>One warning when devices lose the broker and one line when all are back, not one per device.</summary>
    /// <param name="error">Null when <paramref name="device"/> connected, else why it could not publish.</param>
    private void ConnectionChanged(SimulatedDevice device, string? error)
    {
        if (error is not null)
        {
            if (Interlocked.Exchange(ref _outage, 1) == 0)
            {
                logger.LogWarning("Device simulator: device {DeviceId} cannot reach the MQTT broker ({Error}); devices retry every {Delay}",
                    device.DeviceId, error, options.Value.ReconnectDelay);
            }
        }
        else if (Volatile.Read(ref _outage) == 1 && Devices.All(d => d.IsConnected) && Interlocked.Exchange(ref _outage, 0) == 1)
        {
            logger.LogInformation("Device simulator: all {Devices} simulated devices are connected to the MQTT broker again", Devices.Count);
        }
    }
}
