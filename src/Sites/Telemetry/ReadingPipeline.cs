using System.Threading.Channels;
using HcmCity.Abstractions.Sensors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HcmCity.Sites.Telemetry;

/// <summary>Where accepted readings go, in batches (InfluxDB, Sensor grains).</summary>
public interface IReadingSink
{
    Task WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken);
}

/// <summary>How the broker delivered a pack, and how to answer it once its readings are written or could not be.</summary>
public interface ITelemetryDelivery
{
    /// <summary>
    /// True once the delivery was given up (<see cref="GiveUp"/>, for this pack or one delivered before it on the same
    /// connection): the broker sends the message again, so it must not be written now, ahead of those before it.
    /// </summary>
    bool GivenUp { get; }

    /// <summary>Tells the broker the message is written (MQTT PUBACK).</summary>
    Task AcknowledgeAsync();

    /// <summary>A sink could not take the readings: leave the message unacknowledged and have the broker send it again.</summary>
    void GiveUp();
}

/// <summary>
/// The readings of one MQTT message and how the broker delivered it. Null <paramref name="Delivery"/>: nothing to
/// answer (readings handed in by the process itself).
/// </summary>
public sealed record TelemetryPack(IReadOnlyList<Reading> Readings, ITelemetryDelivery? Delivery = null);

/// <summary>
/// A bounded queue between the MQTT handler and the sinks. A message is acknowledged to the broker only after its
/// readings went through every sink (InfluxDB or its on-disk buffer, the Sensor grains), in the order the messages
/// came: a gateway that crashes loses nothing, since the broker sends its unacknowledged messages again (QoS 1,
/// persistent session). When a sink fails (PostgreSQL down while a grain stores an alert), no message of the batch is
/// acknowledged and the deliveries are given up: the gateway reconnects and the broker sends them again, until the
/// sinks take them. The broker's in-flight window (<see cref="GatewayOptions.MaxUnacknowledged"/>) bounds the queue,
/// and a full queue makes the MQTT handler wait: the broker is pushed back, no reading is dropped.
/// </summary>
public sealed class ReadingPipeline(
    IEnumerable<IReadingSink> sinks,
    GatewayMetrics metrics,
    IOptions<GatewayOptions> options,
    ILogger<ReadingPipeline> logger) : BackgroundService
{
    private readonly Channel<TelemetryPack> _queue = Channel.CreateBounded<TelemetryPack>(
        new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    // Set when the pipeline has stopped and everything queued went through the sinks.
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Readings handed in by the process itself: nothing to acknowledge.</summary>
    public async ValueTask EnqueueAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        if (!await TryEnqueueAsync(new TelemetryPack(readings), cancellationToken))
        {
            throw new InvalidOperationException("The reading pipeline is stopping.");
        }
    }

    /// <returns>False when the pipeline no longer takes readings (stopping): the caller must not acknowledge them.</returns>
    public async ValueTask<bool> TryEnqueueAsync(TelemetryPack pack, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pack, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Takes no more readings and waits until the queued ones are written and acknowledged. The MQTT service calls
    /// it before it disconnects, so a graceful stop acknowledges all it wrote.
    /// </summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _drained.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batchSize = options.Value.BatchSize;
        var packs = new List<TelemetryPack>();
        var reader = _queue.Reader;
        try
        {
            try
            {
                while (await reader.WaitToReadAsync(stoppingToken))
                {
                    // Gather for at most one flush interval so a quiet gateway still writes promptly.
                    using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    window.CancelAfter(options.Value.FlushInterval);
                    var count = 0;
                    try
                    {
                        while (count < batchSize && await reader.WaitToReadAsync(window.Token))
                        {
                            while (count < batchSize && reader.TryRead(out var pack))
                            {
                                packs.Add(pack);
                                count += pack.Readings.Count;
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                    await FlushAsync(packs, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            // Graceful shutdown: drain what was accepted before stopping.
            while (reader.TryRead(out var pack))
            {
                packs.Add(pack);
            }
            await FlushAsync(packs, CancellationToken.None);
        }
        finally
        {
            _drained.TrySetResult();
        }
    }

    private async Task FlushAsync(List<TelemetryPack> packs, CancellationToken cancellationToken)
    {
        // Sent again by the broker after one delivered before them failed: written then, in order.
        packs.RemoveAll(p => p.Delivery is { GivenUp: true });
        if (packs.Count == 0)
        {
            return;
        }
        var batch = packs.Count == 1 ? packs[0].Readings : packs.SelectMany(p => p.Readings).ToList();
        if (batch.Count > 0 && !await WriteAsync(batch, cancellationToken))
        {
            metrics.FailedToWrite(batch.Count);
            foreach (var pack in packs)
            {
                pack.Delivery?.GiveUp();
            }
            var own = packs.Where(p => p.Delivery is null).Sum(p => p.Readings.Count);
            logger.LogWarning("{Messages} telemetry messages ({Readings} readings) left unacknowledged: the broker will send them again{Lost}",
                packs.Count(p => p.Delivery is not null), batch.Count - own, own > 0 ? $"; {own} readings handed in by the process are lost" : "");
            packs.Clear();
            return;
        }
        metrics.Wrote(batch.Count);
        // In the order the broker sent them (MQTT 5 §4.6), and only now that every sink has the readings.
        var unacknowledged = 0;
        foreach (var pack in packs)
        {
            if (pack.Delivery is not { } delivery)
            {
                continue;
            }
            try
            {
                await delivery.AcknowledgeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Connection lost: the broker sends the message again and InfluxDB keeps one point per reading.
                unacknowledged++;
            }
        }
        if (unacknowledged > 0)
        {
            logger.LogInformation("{Count} telemetry messages written but not acknowledged (connection to the broker lost); the broker will send them again", unacknowledged);
        }
        packs.Clear();
    }

    /// <returns>False when a sink failed: the batch is not written everywhere.</returns>
    private async Task<bool> WriteAsync(IReadOnlyList<Reading> batch, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            try
            {
                await sink.WriteAsync(batch, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Sink {Sink} failed to take {Count} readings", sink.GetType().Name, batch.Count);
                return false;
            }
        }
        return true;
    }
}
