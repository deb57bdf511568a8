using System.Globalization;
using System.Text;
using HcmCity.Sites.Influx;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HcmCity.Sites.Telemetry;

/// <summary>
/// Batches InfluxDB could not take, kept on disk until it can: one line-protocol file per batch in
/// <see cref="GatewayOptions.BufferDirectory"/>, named by a sequence number, written to InfluxDB oldest first and deleted
/// once written. Bounded by <see cref="GatewayOptions.BufferMaxBytes"/>: a batch that does not fit is dropped and
/// counted (<see cref="GatewayMetrics.BufferDropped"/>), as is a batch InfluxDB refuses as invalid. Files left by an
/// earlier run (a stop or a crash during an outage) are written at start.
/// </summary>
public sealed class InfluxWriteBuffer : BackgroundService
{
    private const string Extension = ".lp";

    private readonly InfluxClient _influx;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<InfluxWriteBuffer> _logger;
    private readonly long _maxBytes;
    private readonly TimeSpan _retryInterval;
    private readonly Lock _lock = new();
    private readonly Queue<(string Path, long Bytes)> _pending = new();
    private readonly SemaphoreSlim _appending = new(1, 1);
    private readonly SemaphoreSlim _appended = new(0);
    private long _bytes;
    private long _next;

    public InfluxWriteBuffer(
        InfluxClient influx,
        IOptions<GatewayOptions> options,
        GatewayMetrics metrics,
        TimeProvider time,
        ILogger<InfluxWriteBuffer> logger)
    {
        _influx = influx;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var gateway = options.Value;
        _maxBytes = gateway.BufferMaxBytes;
        _retryInterval = gateway.BufferRetryInterval;
        Directory = gateway.BufferDirectory is { Length: > 0 } directory
            ? directory
            : Path.Combine(Path.GetTempPath(), "hcmcity-gateway",
                string.Concat(gateway.ClientId.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c)), "influx-buffer");
        System.IO.Directory.CreateDirectory(Directory);
        // Half-written files of a crash never became batches.
        foreach (var partial in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension + ".tmp"))
        {
            File.Delete(partial);
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var length = new FileInfo(file).Length;
            _pending.Enqueue((file, length));
            _bytes += length;
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                _next = Math.Max(_next, sequence + 1);
            }
        }
        if (_pending.Count > 0)
        {
            _logger.LogWarning("{Count} batches ({Bytes} bytes) of an earlier run wait in {Directory} for InfluxDB",
                _pending.Count, _bytes, Directory);
        }
        metrics.ObserveBuffer(() => Bytes, () => Batches);
    }

    /// <summary>The folder of the waiting batches.</summary>
    public string Directory { get; }

    /// <summary>Bytes of line protocol waiting.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Batches waiting.</summary>
    public int Batches
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Keeps <paramref name="lines"/> (<paramref name="readings"/> points) on disk, behind every batch already waiting.
    /// Returns false when it was dropped instead (buffer full, or the disk failed), which is logged and counted.
    /// </summary>
    public async Task<bool> AppendAsync(string lines, int readings)
    {
        var bytes = Encoding.UTF8.GetBytes(lines);
        // One append at a time, so files are numbered in the order they become visible to the replay.
        await _appending.WaitAsync();
        try
        {
            string path;
            lock (_lock)
            {
                if (_bytes + bytes.Length > _maxBytes)
                {
                    _metrics.DroppedFromBuffer(readings);
                    _logger.LogError("InfluxDB buffer {Directory} is full ({Bytes} of {Max} bytes): dropped {Count} readings",
                        Directory, _bytes, _maxBytes, readings);
                    return false;
                }
                path = Path.Combine(Directory, _next.ToString("D19", CultureInfo.InvariantCulture) + Extension);
                _next++;
            }
            var partial = path + ".tmp";
            try
            {
                await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
                {
                    await file.WriteAsync(bytes);
                    file.Flush(flushToDisk: true);
                }
                // A batch appears whole or not at all.
                File.Move(partial, path);
            }
            catch (IOException e)
            {
                _metrics.DroppedFromBuffer(readings);
                _logger.LogError(e, "Could not keep {Count} readings in the InfluxDB buffer {Directory}: dropped", readings, Directory);
                File.Delete(partial);
                return false;
            }
            lock (_lock)
            {
                _pending.Enqueue((path, bytes.Length));
                _bytes += bytes.Length;
            }
            _metrics.BufferedToDisk(readings);
            _appended.Release();
            return true;
        }
        finally
        {
            _appending.Release();
        }
    }

    /// <summary>Writes the waiting batches to InfluxDB, oldest first, trying again every retry interval while it fails.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                (string Path, long Bytes) oldest;
                lock (_lock)
                {
                    if (!_pending.TryPeek(out oldest))
                    {
                        oldest = default;
                    }
                }
                if (oldest.Path is null)
                {
                    await _appended.WaitAsync(stoppingToken);
                    continue;
                }
                bool written;
                try
                {
                    written = await TryWriteAsync(oldest, failing, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Unexpected: keep the batch and the loop, and try again later.
                    _logger.LogError(e, "Writing the buffered batch {File} to InfluxDB failed", oldest.Path);
                    written = false;
                }
                if (written)
                {
                    if (failing)
                    {
                        _logger.LogInformation("InfluxDB takes writes again; writing the {Count} batches waiting on disk", Batches + 1);
                    }
                    failing = false;
                    continue;
                }
                failing = true;
                await Task.Delay(_retryInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // What is still waiting stays on disk for the next start.
        }
    }

    /// <returns>Whether the batch left the buffer (written, or dropped as invalid); false when InfluxDB is still failing.</returns>
    private async Task<bool> TryWriteAsync((string Path, long Bytes) batch, bool failing, CancellationToken cancellationToken)
    {
        string lines;
        try
        {
            lines = await File.ReadAllTextAsync(batch.Path, Encoding.UTF8, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(e, "Could not read the buffered batch {File}: dropped", batch.Path);
            Forget(batch);
            return true;
        }
        var readings = lines.Count(c => c == '\n') + 1;
        try
        {
            await _influx.WriteAsync(lines, cancellationToken);
            _metrics.ReplayedFromDisk(readings);
        }
        catch (Exception e) when (InfluxReadingSink.IsTransient(e, cancellationToken))
        {
            if (!failing)
            {
                _logger.LogWarning("InfluxDB still fails ({Error}); {Count} batches wait in {Directory}, retrying every {Interval}",
                    e.Message, Batches, Directory, _retryInterval);
            }
            return false;
        }
        catch (InfluxException e)
        {
            _metrics.DroppedFromBuffer(readings);
            _logger.LogError("InfluxDB refused the buffered batch {File} ({Error}): dropped {Count} readings",
                batch.Path, e.Message, readings);
        }
        Forget(batch);
        return true;
    }

    private void Forget((string Path, long Bytes) batch)
    {
        lock (_lock)
        {
            _pending.Dequeue();
            _bytes -= batch.Bytes;
        }
        try
        {
            File.Delete(batch.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(e, "Could not delete the buffered batch {File}", batch.Path);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _appending.Dispose();
        _appended.Dispose();
    }
}
