using System.Collections.Concurrent;
using System.Globalization;
using HcmCity.Sites.Influx;
using Microsoft.Extensions.Options;

namespace HcmCity.Sites.Records;

/// <summary>Aggregates of one name of a device's readings over one time bucket, for charts.</summary>
public sealed record ReadingBucket(DateTimeOffset Time, string Name, double Mean, double Min, double Max, long Count);

/// <summary>A device's readings aggregated in buckets of <c>every</c>, aligned to the Unix epoch as InfluxQL does.</summary>
public interface IReadingHistory
{
    /// <summary>Buckets with at least one reading in [from, to), ordered by name then time.</summary>
    Task<IReadOnlyList<ReadingBucket>> AggregateAsync(
        string deviceId, DateTimeOffset from, DateTimeOffset to, TimeSpan every, CancellationToken cancellationToken = default);
}

/// <summary>Production: InfluxQL aggregates over the gateway's "telemetry" measurement.</summary>
public sealed class InfluxReadingHistory(InfluxClient influx) : IReadingHistory
{
    /// <summary>The measurement the gateway writes readings to, tags device and name, field value.</summary>
    public const string Measurement = "telemetry";

    public async Task<IReadOnlyList<ReadingBucket>> AggregateAsync(
        string deviceId, DateTimeOffset from, DateTimeOffset to, TimeSpan every, CancellationToken cancellationToken = default)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"""
            SELECT mean("value"), min("value"), max("value"), count("value") FROM "{Measurement}"
            WHERE "device" = '{deviceId.Replace("\\", "\\\\").Replace("'", "\\'")}'
              AND time >= {from.ToUnixTimeMilliseconds()}ms AND time < {to.ToUnixTimeMilliseconds()}ms
            GROUP BY time({(long)every.TotalMilliseconds}ms), "name" fill(none)
            """);
        var series = await influx.QueryAsync(query, cancellationToken);
        var buckets = new List<ReadingBucket>();
        foreach (var item in series.OrderBy(s => s.Tags.GetValueOrDefault("name"), StringComparer.Ordinal))
        {
            var name = item.Tags.GetValueOrDefault("name") ?? "";
            foreach (var row in item.Rows)
            {
                buckets.Add(new ReadingBucket(
                    DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(row[0], CultureInfo.InvariantCulture)),
                    name,
                    Convert.ToDouble(row[1], CultureInfo.InvariantCulture),
                    Convert.ToDouble(row[2], CultureInfo.InvariantCulture),
                    Convert.ToDouble(row[3], CultureInfo.InvariantCulture),
                    Convert.ToInt64(row[4], CultureInfo.InvariantCulture)));
            }
        }
        return buckets;
    }
}

/// <summary>
/// Embedded mode has no InfluxDB: the gateway also hands readings here, and charts read the most recent ones.
/// Bounded per device and in devices, so a chatty or hostile device cannot exhaust memory.
/// </summary>
public sealed class InMemoryReadingHistory(IOptions<SitesOptions> options) : IReadingHistory
{
    private readonly ConcurrentDictionary<string, DeviceReadings> _devices = new(StringComparer.Ordinal);
    private readonly int _perDevice = options.Value.RecentReadingsPerDevice;
    private readonly int _maxDevices = options.Value.RecentReadingsDevices;

    public void Add(string deviceId, string name, double value, DateTimeOffset time)
    {
        if (!_devices.TryGetValue(deviceId, out var readings))
        {
            if (_devices.Count >= _maxDevices)
            {
                return;
            }
            readings = _devices.GetOrAdd(deviceId, _ => new DeviceReadings(_perDevice));
        }
        readings.Add(new StoredReading(name, value, time));
    }

    public Task<IReadOnlyList<ReadingBucket>> AggregateAsync(
        string deviceId, DateTimeOffset from, DateTimeOffset to, TimeSpan every, CancellationToken cancellationToken = default)
    {
        if (!_devices.TryGetValue(deviceId, out var readings))
        {
            return Task.FromResult<IReadOnlyList<ReadingBucket>>([]);
        }
        var everyMs = (long)every.TotalMilliseconds;
        IReadOnlyList<ReadingBucket> buckets = readings.Snapshot()
            .Where(r => r.Time >= from && r.Time < to)
            .GroupBy(r => (r.Name, Start: Math.DivRem(r.Time.ToUnixTimeMilliseconds(), everyMs, out _) * everyMs))
            .Select(g => new ReadingBucket(
                DateTimeOffset.FromUnixTimeMilliseconds(g.Key.Start), g.Key.Name,
                g.Average(r => r.Value), g.Min(r => r.Value), g.Max(r => r.Value), g.Count()))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ThenBy(b => b.Time)
            .ToList();
        return Task.FromResult(buckets);
    }

    private readonly record struct StoredReading(string Name, double Value, DateTimeOffset Time);

    /// <summary>A ring of the newest readings of one device.</summary>
    private sealed class DeviceReadings(int capacity)
    {
        private readonly StoredReading[] _ring = new StoredReading[capacity];
        private readonly Lock _lock = new();
        private int _next;
        private int _count;

        public void Add(StoredReading reading)
        {
            lock (_lock)
            {
                _ring[_next] = reading;
                _next = (_next + 1) % _ring.Length;
                _count = Math.Min(_count + 1, _ring.Length);
            }
        }

        public StoredReading[] Snapshot()
        {
            lock (_lock)
            {
                var copy = new StoredReading[_count];
                var start = (_next - _count + _ring.Length) % _ring.Length;
                for (var i = 0; i < _count; i++)
                {
                    copy[i] = _ring[(start + i) % _ring.Length];
                }
                return copy;
            }
        }
    }
}
