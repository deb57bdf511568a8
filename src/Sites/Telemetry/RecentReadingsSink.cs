using HcmCity.Abstractions.Sensors;
using HcmCity.Sites.Records;

namespace HcmCity.Sites.Telemetry;

/// <summary>Embedded mode (no InfluxDB): keeps recent readings in memory so sensor charts still work.</summary>
public sealed class RecentReadingsSink(InMemoryReadingHistory history) : IReadingSink
{
    public Task WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        foreach (var reading in batch)
        {
            history.Add(reading.DeviceId, reading.Name, reading.Value, reading.Time);
        }
        return Task.CompletedTask;
    }
}
