using HcmCity.Abstractions.Audit;

namespace HcmCity.Audit.Checkpoints;

/// <summary>
/// Signs the audit chain's head into a new checkpoint when it has moved, after checking that the entries since the last
/// checkpoint extend it: a chain rewritten in the database is never signed.
/// </summary>
public sealed class AuditCheckpointWriter(
    IAuditTrail trail, AuditCheckpointKey key, AuditCheckpointDirectory directory, TimeProvider time, ILogger<AuditCheckpointWriter> logger)
{
    private const int Page = 1000;

    public AuditCheckpointDirectory Directory => directory;

    /// <summary>The latest checkpoint after this run: a new one when the head moved, else the previous one (null when the trail is empty).</summary>
    /// <exception cref="AuditChainBrokenException">The trail no longer extends the last checkpoint.</exception>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken)
    {
        var last = directory.Latest();
        if (last is not null && !last.IsSignedBy(key))
        {
            throw new AuditChainBrokenException(
                $"The checkpoint of entry {last.Seq} in {directory.Path} is not signed by audit key {key.KeyId}.");
        }
        var (seq, hash) = last is null ? (0L, AuditChain.Genesis) : (last.Seq, last.HashBytes());
        if (last is not null)
        {
            // The checkpointed entry itself must still be there, unchanged: a rewrite may have shortened the trail.
            var anchored = await trail.ReadAsync(last.Seq - 1, 1, cancellationToken);
            if (anchored is not [{ } entry] || entry.Seq != last.Seq ||
                !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(entry.Hash, hash))
            {
                throw new AuditChainBrokenException(
                    $"Entry {last.Seq} is missing or differs from the checkpoint signed at {last.At:O}: the trail was rewritten.");
            }
        }
        while (true)
        {
            var entries = await trail.ReadAsync(seq, Page, cancellationToken);
            var (reached, reachedHash, problem) = AuditChain.Extend(entries, seq, hash);
            if (problem is not null)
            {
                throw new AuditChainBrokenException(last is null
                    ? problem
                    : $"{problem} The trail no longer extends the checkpoint of entry {last.Seq} signed at {last.At:O}.");
            }
            (seq, hash) = (reached, reachedHash);
            if (entries.Count < Page)
            {
                break;
            }
        }
        if (seq == (last?.Seq ?? 0))
        {
            return last;
        }
        var checkpoint = AuditCheckpoint.Sign(seq, hash, time.GetUtcNow(), key);
        await directory.WriteAsync(checkpoint, cancellationToken);
        logger.LogInformation("Audit checkpoint signed: entry {Seq}, hash {Hash}, key {KeyId}", checkpoint.Seq, checkpoint.Hash, key.KeyId);
        return checkpoint;
    }
}

/// <summary>The audit trail does not extend its last signed checkpoint: entries were altered, deleted or rewritten.</summary>
public sealed class AuditChainBrokenException(string message) : Exception(message);

/// <summary>Signs a checkpoint at start and then every <see cref="AuditCheckpointOptions.CheckpointInterval"/>.</summary>
internal sealed class AuditCheckpointService(
    AuditCheckpointWriter writer, Microsoft.Extensions.Options.IOptions<AuditCheckpointOptions> options, TimeProvider time,
    ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, time);
        do
        {
            try
            {
                await writer.CheckpointAsync(stoppingToken);
            }
            catch (AuditChainBrokenException e)
            {
                logger.LogCritical("Audit trail tampered with: {Problem} No checkpoint is signed until an operator investigates.", e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database or the directory is unreachable for now; the next tick tries again.
                logger.LogWarning(e, "Audit checkpoint not written this time");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
