using HcmCity.Abstractions.Sensors;
using HcmCity.Storage.Influx;
using HcmCity.Storage.Sites;
using Microsoft.Extensions.Logging;

namespace HcmCity.DeviceGateway.Telemetry;

/// <summary>
/// Writes readings to InfluxDB as measurement "telemetry", tags device and name, field value, in one line-protocol
/// request per batch. A failed write is retried with back-off so a short InfluxDB outage loses nothing.
/// </summary>
public sealed class InfluxReadingSink(InfluxClient influx, ILogger<InfluxReadingSink> logger) : IReadingSink
{
    public const string Measurement = InfluxReadingHistory.Measurement;

    private static readonly TimeSpan[] Backoff =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];

    public async Task WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        var lines = ToLineProtocol(batch);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await influx.WriteAsync(lines, cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < Backoff.Length && e is HttpRequestException or InfluxException { Status: >= System.Net.HttpStatusCode.InternalServerError })
            {
                logger.LogWarning("InfluxDB write of {Count} readings failed ({Error}); retrying in {Delay}",
                    batch.Count, e.Message, Backoff[attempt]);
                await Task.Delay(Backoff[attempt], cancellationToken);
            }
        }
    }

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
