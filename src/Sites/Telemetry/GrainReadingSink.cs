using HcmCity.Abstractions.Sensors;
using HcmCity.Abstractions.Sites;
using Microsoft.Extensions.Logging;

namespace HcmCity.Sites.Telemetry;

/// <summary>
/// Hands a batch to the Sensor grains: one call per device with that device's readings in time order, all devices
/// in parallel. Readings of a device nobody provisioned are counted (<see cref="GatewayMetrics.UnknownFor"/>) and dropped.
/// </summary>
public sealed class GrainReadingSink(IGrainFactory grains, GatewayMetrics metrics, ILogger<GrainReadingSink> logger) : IReadingSink
{
    public Task WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken) =>
        Task.WhenAll(batch
            .GroupBy(r => r.DeviceId, StringComparer.Ordinal)
            .Select(device => SendAsync(device.Key, device.OrderBy(r => r.Time).ToList())));

    private async Task SendAsync(string deviceId, IReadOnlyList<Reading> readings)
    {
        try
        {
            var result = await grains.GetGrain<ISensorGrain>(deviceId).RecordAsync(readings);
            if (!result.Known)
            {
                metrics.UnknownDevice(deviceId, readings.Count);
                logger.LogWarning("Dropped {Count} readings from unknown device {DeviceId}", readings.Count, deviceId);
            }
        }
        catch (Exception e)
        {
            // One failing device must not cost the others their readings.
            logger.LogError(e, "Sensor grain {DeviceId} failed to take {Count} readings", deviceId, readings.Count);
        }
    }
}
