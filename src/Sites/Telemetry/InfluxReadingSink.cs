using HcmCity.Abstractions.Sensors;
using HcmCity.Sites.Influx;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Logging;

namespace HcmCity.Sites.Telemetry;

/// <summary>
/// Writes readings to InfluxDB as measurement "telemetry", tags device and name, field value, in one line-protocol
/// request per batch. While InfluxDB is unreachable or failing, batches go to the on-disk
/// <see cref="InfluxWriteBuffer"/> (behind the ones already waiting, so they are written in order) and are written
/// when it is back: an outage loses nothing and does not hold up the other sinks.
/// </summary>
public sealed class InfluxReadingSink(InfluxClient influx, InfluxWriteBuffer buffer, ILogger<InfluxReadingSink> logger) : IReadingSink
{
    public const string Measurement = InfluxReadingHistory.Measurement;

    public async Task WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        var lines = ToLineProtocol(batch);
        if (buffer.Batches > 0)
        {
            await buffer.AppendAsync(lines, batch.Count);
            return;
        }
        try
        {
            await influx.WriteAsync(lines, cancellationToken);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            logger.LogWarning("InfluxDB write of {Count} readings failed ({Error}); keeping them on disk in {Directory}",
                batch.Count, e.Message, buffer.Directory);
            await buffer.AppendAsync(lines, batch.Count);
        }
    }

    /// <summary>
    /// A failure a later attempt may not have: InfluxDB unreachable, timing out, overloaded or failing (5xx, 429);
    /// not a refusal of the data itself (other 4xx), nor our own cancellation.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        InfluxException { Status: >= System.Net.HttpStatusCode.InternalServerError or System.Net.HttpStatusCode.TooManyRequests } => true,
        _ => false,
    };

    public static string ToLineProtocol(IReadOnlyList<Reading> batch)
    {
        var writer = new LineProtocolWriter();
        foreach (var reading in batch)
        {
            writer.Measurement(Measurement)
                .Tag("device", reading.DeviceId)
                .Tag("name", reading.Name)
                .Field("value", reading.Value)
                .Timestamp(reading.Time);
        }
        return writer.ToString();
    }
}
