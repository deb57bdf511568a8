using System.Buffers;
using System.Text.Json;
using HcmCity.Abstractions.Sensors;

namespace HcmCity.Sites.Telemetry;

/// <summary>
/// Parses a SenML JSON pack (RFC 8428) published by a device on hcm/devices/{deviceId}/telemetry, e.g.
/// <c>[{"bn":"urn:dev:hcm:{deviceId}:","bt":1767225600,"n":"laeq","u":"dB","v":67.3}]</c>.
/// The whole pack is rejected with a reason if anything in it is malformed, so a device sees all or nothing.
/// </summary>
public static class SenmlParser
{
    public const int MaxPayloadBytes = 16 * 1024;
    public const int MaxRecords = 256;

    /// <summary>RFC 8428 §4.5.3: times below 2^28 are relative to now.</summary>
    private const double RelativeTimeLimit = 268_435_456;

    /// <summary>
    /// Oldest reading accepted, before now: a device's clock that is further back (unset, reset to 1970, a
    /// corrupted time) gives readings that no chart or alert can use. Later than now is allowed 5 minutes of skew.
    /// </summary>
    public static readonly TimeSpan MaxReadingAge = TimeSpan.FromDays(30);

    /// <summary>Accepted names with their unit and plausible range (readings outside are sensor faults).</summary>
    private static readonly Dictionary<string, (string[] Units, double Min, double Max)> Names = new(StringComparer.Ordinal)
    {
        ["laeq"] = (["dB", "dBA", "dB(A)"], 0, 194),
        ["pm10"] = (["ug/m3"], 0, 999), // SDS011-class sensors saturate at 999.9 / 1999.9: not a reading
        ["pm25"] = (["ug/m3"], 0, 999),
        ["vibration"] = (["dB"], 0, 200),
        ["tilt"] = (["deg", "°"], -90, 90),
    };

    public static SenmlResult Parse(ReadOnlySequence<byte> payload, string deviceId, DateTimeOffset now)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            return SenmlResult.Reject("oversized");
        }
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 4 });
            using var document = JsonDocument.ParseValue(ref reader);
            return Parse(document.RootElement, deviceId, now);
        }
        // Invalid UTF-8 inside a string is found only when the string is read (InvalidOperationException).
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return SenmlResult.Reject("malformed-json");
        }
    }

    private static SenmlResult Parse(JsonElement root, string deviceId, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
        {
            return SenmlResult.Reject("not-a-senml-pack");
        }
        if (root.GetArrayLength() > MaxRecords)
        {
            return SenmlResult.Reject("too-many-records");
        }
        var expectedBaseName = TelemetryTopic.BaseName(deviceId);
        string? baseName = null;
        double baseTime = 0;
        var readings = new List<Reading>(root.GetArrayLength());
        foreach (var record in root.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                return SenmlResult.Reject("not-a-senml-record");
            }
            if (record.TryGetProperty("bn", out var bn))
            {
                baseName = bn.ValueKind == JsonValueKind.String ? bn.GetString() : null;
                if (baseName != expectedBaseName)
                {
                    return SenmlResult.Reject("base-name-mismatch");
                }
            }
            if (record.TryGetProperty("bt", out var bt))
            {
                if (bt.ValueKind != JsonValueKind.Number || !bt.TryGetDouble(out baseTime) || !double.IsFinite(baseTime))
                {
                    return SenmlResult.Reject("bad-time");
                }
            }
            if (!record.TryGetProperty("n", out var n) || n.ValueKind != JsonValueKind.String)
            {
                return SenmlResult.Reject("missing-name");
            }
            var name = n.GetString()!;
            if (baseName is null && name.StartsWith(expectedBaseName, StringComparison.Ordinal))
            {
                name = name[expectedBaseName.Length..];
            }
            else if (baseName is null)
            {
                return SenmlResult.Reject("base-name-mismatch");
            }
            if (!Names.TryGetValue(name, out var spec))
            {
                return SenmlResult.Reject("unknown-name");
            }
            if (record.TryGetProperty("u", out var u) && (u.ValueKind != JsonValueKind.String || !spec.Units.Contains(u.GetString())))
            {
                return SenmlResult.Reject("wrong-unit");
            }
            if (!record.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                return SenmlResult.Reject("missing-value");
            }
            if (value < spec.Min || value > spec.Max)
            {
                return SenmlResult.Reject("out-of-range");
            }
            var t = 0.0;
            if (record.TryGetProperty("t", out var tp) && (tp.ValueKind != JsonValueKind.Number || !tp.TryGetDouble(out t) || !double.IsFinite(t)))
            {
                return SenmlResult.Reject("bad-time");
            }
            var seconds = baseTime + t;
            // Relative (now + seconds) or absolute (Unix seconds), compared as seconds since the epoch before any
            // DateTimeOffset is made: 1e300 or -1e300 would not fit in one and must not throw.
            var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
            var unixSeconds = seconds < RelativeTimeLimit ? nowSeconds + seconds : seconds;
            if (!double.IsFinite(unixSeconds))
            {
                return SenmlResult.Reject("bad-time");
            }
            if (unixSeconds > nowSeconds + 300)
            {
                return SenmlResult.Reject("time-in-future");
            }
            if (unixSeconds < nowSeconds - MaxReadingAge.TotalSeconds)
            {
                return SenmlResult.Reject("time-in-past");
            }
            var time = seconds < RelativeTimeLimit
                ? now.AddSeconds(seconds)
                : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            readings.Add(new Reading(deviceId, name, value, time));
        }
        return new SenmlResult(readings, null);
    }
}

/// <param name="Readings">The accepted readings (empty when rejected).</param>
/// <param name="Rejection">A short reason code when the pack was rejected, used as a metric tag.</param>
public sealed record SenmlResult(IReadOnlyList<Reading> Readings, string? Rejection)
{
    public static SenmlResult Reject(string reason) => new([], reason);
}
