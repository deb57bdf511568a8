using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HcmCity.Sites.Telemetry;

/// <summary>Counts what the gateway accepts and rejects, in total (OpenTelemetry) and per device.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "HcmCity.DeviceGateway";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _readings;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _written;
    private readonly Counter<long> _unwritten;
    private readonly Counter<long> _unknown;
    private readonly Counter<long> _denied;
    private readonly Counter<long> _buffered;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _bufferDropped;
    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, long> _deniedByClient = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unknownByDevice = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rejectedByDevice = new(StringComparer.Ordinal);

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("hcm.gateway.messages", description: "MQTT telemetry messages received");
        _readings = meter.CreateCounter<long>("hcm.gateway.readings.accepted", description: "Readings accepted");
        _rejected = meter.CreateCounter<long>("hcm.gateway.messages.rejected", description: "Telemetry messages rejected, by reason");
        _written = meter.CreateCounter<long>("hcm.gateway.readings.written", description: "Readings written to the time-series store");
        _unwritten = meter.CreateCounter<long>("hcm.gateway.readings.unwritten", description: "Readings a sink could not take, left unacknowledged for the broker to send again");
        _unknown = meter.CreateCounter<long>("hcm.gateway.readings.unknown_device", description: "Well-formed readings of devices no site has provisioned, dropped");
        _denied = meter.CreateCounter<long>("hcm.gateway.broker.denied", description: "Connections, publications and subscriptions the embedded broker refused, by action");
        _buffered = meter.CreateCounter<long>("hcm.gateway.influx.buffered", description: "Readings InfluxDB could not take, kept on disk");
        _replayed = meter.CreateCounter<long>("hcm.gateway.influx.replayed", description: "Readings written to InfluxDB from the on-disk buffer");
        _bufferDropped = meter.CreateCounter<long>("hcm.gateway.influx.dropped", description: "Readings dropped: the on-disk buffer was full, or InfluxDB refused them as invalid");
    }

    /// <summary>Readings put in the on-disk InfluxDB buffer since start.</summary>
    public long Buffered => Interlocked.Read(ref _bufferedTotal);

    /// <summary>Readings written to InfluxDB from the on-disk buffer since start.</summary>
    public long Replayed => Interlocked.Read(ref _replayedTotal);

    /// <summary>Readings meant for InfluxDB and dropped since start (buffer full, or refused as invalid).</summary>
    public long BufferDropped => Interlocked.Read(ref _bufferDroppedTotal);

    private long _bufferedTotal;
    private long _replayedTotal;
    private long _bufferDroppedTotal;

    public void BufferedToDisk(int readings)
    {
        _buffered.Add(readings);
        Interlocked.Add(ref _bufferedTotal, readings);
    }

    public void ReplayedFromDisk(int readings)
    {
        _replayed.Add(readings);
        Interlocked.Add(ref _replayedTotal, readings);
    }

    public void DroppedFromBuffer(int readings)
    {
        _bufferDropped.Add(readings);
        Interlocked.Add(ref _bufferDroppedTotal, readings);
    }

    /// <summary>Publishes the size of the on-disk InfluxDB buffer (bytes and batches waiting) as gauges.</summary>
    public void ObserveBuffer(Func<long> bytes, Func<int> batches)
    {
        _meter.CreateObservableGauge("hcm.gateway.influx.buffer.bytes", bytes, unit: "By", description: "Line protocol waiting on disk for InfluxDB");
        _meter.CreateObservableGauge("hcm.gateway.influx.buffer.batches", batches, description: "Batches waiting on disk for InfluxDB");
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

    /// <summary>Readings a sink failed to take since start (each delivery counted: the broker sends them again).</summary>
    public long Unwritten => Interlocked.Read(ref _unwrittenTotal);

    private long _unwrittenTotal;

    public void FailedToWrite(int readings)
    {
        _unwritten.Add(readings);
        Interlocked.Add(ref _unwrittenTotal, readings);
    }

    public long RejectedFor(string deviceId) => _rejectedByDevice.GetValueOrDefault(deviceId);

    /// <summary>Readings that passed the SenML checks but whose device is not a provisioned sensor.</summary>
    public void UnknownDevice(string deviceId, int readings)
    {
        _unknown.Add(readings);
        _unknownByDevice.AddOrUpdate(deviceId, readings, (_, n) => n + readings);
    }

    public long UnknownFor(string deviceId) => _unknownByDevice.GetValueOrDefault(deviceId);

    /// <summary>
    /// The embedded broker refused <paramref name="action"/> (connect, publish, subscribe). Counted per client only
    /// for an authenticated <paramref name="username"/>: anyone can try to connect under any name.
    /// </summary>
    public void Denied(string? username, string action)
    {
        _denied.Add(1, new KeyValuePair<string, object?>("action", action));
        if (username is not null)
        {
            _deniedByClient.AddOrUpdate(username, 1, (_, n) => n + 1);
        }
    }

    /// <summary>What the embedded broker refused to the client that connected (or tried to) as <paramref name="username"/>.</summary>
    public long DeniedFor(string username) => _deniedByClient.GetValueOrDefault(username);
}
