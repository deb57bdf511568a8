using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HcmCity.DeviceGateway.Telemetry;

/// <summary>Counts what the gateway accepts and rejects, in total (OpenTelemetry) and per device.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "HcmCity.DeviceGateway";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _readings;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _written;
    private readonly ConcurrentDictionary<string, long> _rejectedByDevice = new(StringComparer.Ordinal);

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("hcm.gateway.messages", description: "MQTT telemetry messages received");
        _readings = meter.CreateCounter<long>("hcm.gateway.readings.accepted", description: "Readings accepted");
        _rejected = meter.CreateCounter<long>("hcm.gateway.messages.rejected", description: "Telemetry messages rejected, by reason");
        _written = meter.CreateCounter<long>("hcm.gateway.readings.written", description: "Readings written to the time-series store");
    }

    public long Accepted => Interlocked.Read(ref _acceptedTotal);

    public long Rejected => Interlocked.Read(ref _rejectedTotal);

    public long Written => Interlocked.Read(ref _writtenTotal);

    private long _acceptedTotal;
    private long _rejectedTotal;
    private long _writtenTotal;

    public void Received() => _messages.Add(1);

    public void Accept(int readings)
    {
        _readings.Add(readings);
        Interlocked.Add(ref _acceptedTotal, readings);
    }

    public void Reject(string deviceId, string reason)
    {
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _rejectedByDevice.AddOrUpdate(deviceId, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _rejectedTotal);
    }

    public void Wrote(int readings)
    {
        _written.Add(readings);
        Interlocked.Add(ref _writtenTotal, readings);
    }

    public long RejectedFor(string deviceId) => _rejectedByDevice.GetValueOrDefault(deviceId);
}
