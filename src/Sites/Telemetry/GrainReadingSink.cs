using HcmCity.Abstractions.Sensors;
using HcmCity.Abstractions.Sites;
using Microsoft.Extensions.Logging;

namespace HcmCity.Sites.Telemetry;

/// <summary>
/// Hands a batch to the Sensor grains: one call per device with that device's readings in time order, all devices
/// in parallel. Readings of a device nobody provisioned are counted (<see cref="GatewayMetrics.UnknownFor"/>) and
/// dropped. A device whose grain fails (its alert could not be stored) fails the batch once every device had its turn:
/// the batch is not acknowledged, the broker sends it again, and the devices that took it ignore it as a repeat.
/// </summary>
public sealed class GrainReadingSink(IGrainFactory grains, GatewayMetrics metrics, ILogger<GrainReadingSink> logger) : IReadingSink
{
    public async Task WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        var failed = (await Task.WhenAll(batch
            .GroupBy(r => r.DeviceId, StringComparer.Ordinal)
            .Select(device => SendAsync(device.Key, device.OrderBy(r => r.Time).ToList()))))
            .OfType<Exception>()
            .ToList();
        if (failed.Count > 0)
        {
            throw new AggregateException($"{failed.Count} Sensor grains failed to take their readings.", failed);
        }
    }

    /// <returns>The failure, null when the grain took the readings.</returns>
    private async Task<Exception?> SendAsync(string deviceId, IReadOnlyList<Reading> readings)
    {
        try
        {
            var result = await grains.GetGrain<ISensorGrain>(deviceId).RecordAsync(readings);
            if (!result.Known)
            {
                metrics.UnknownDevice(deviceId, readings.Count);
                logger.LogWarning("Dropped {Count} readings from unknown device {DeviceId}", readings.Count, deviceId);
            }
            return null;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sensor grain {DeviceId} failed to take {Count} readings", deviceId, readings.Count);
            return e;
        }
    }
}
