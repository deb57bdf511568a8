using System.Threading.Channels;
using HcmCity.Abstractions.Sensors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HcmCity.DeviceGateway.Telemetry;

/// <summary>Where accepted readings go, in batches (InfluxDB, Sensor grains).</summary>
public interface IReadingSink
{
    Task WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken);
}

/// <summary>
/// A bounded queue between the MQTT handler and the sinks. When it is full the MQTT handler waits, which delays
/// the QoS 1 acknowledgement and so pushes back on the broker instead of dropping readings.
/// </summary>
public sealed class ReadingPipeline(
    IEnumerable<IReadingSink> sinks,
    GatewayMetrics metrics,
    IOptions<GatewayOptions> options,
    ILogger<ReadingPipeline> logger) : BackgroundService
{
    private readonly Channel<Reading> _queue = Channel.CreateBounded<Reading>(
        new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public async ValueTask EnqueueAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        foreach (var reading in readings)
        {
            await _queue.Writer.WriteAsync(reading, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batchSize = options.Value.BatchSize;
        var batch = new List<Reading>(batchSize);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Gather for at most one flush interval so a quiet gateway still writes promptly.
                using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                window.CancelAfter(options.Value.FlushInterval);
                try
                {
                    while (batch.Count < batchSize && await reader.WaitToReadAsync(window.Token))
                    {
                        while (batch.Count < batchSize && reader.TryRead(out var reading))
                        {
                            batch.Add(reading);
                        }
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
                await FlushAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Graceful shutdown: drain what was accepted before stopping.
        while (reader.TryRead(out var reading))
        {
            batch.Add(reading);
        }
        await FlushAsync(batch, CancellationToken.None);
    }

    private async Task FlushAsync(List<Reading> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        foreach (var sink in sinks)
        {
            try
            {
                await sink.WriteAsync(batch, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Sink {Sink} failed to take {Count} readings", sink.GetType().Name, batch.Count);
            }
        }
        metrics.Wrote(batch.Count);
        batch.Clear();
    }
}
