using System.CommandLine;
using HcmCity.Audit;
using HcmCity.Audit.Checkpoints;
using HcmCity.ServiceDefaults;
using HcmCity.ServiceDefaults.Postgres;

namespace HcmCity.Silo.Cli;

/// <summary>
/// <c>audit verify [--connection] [--checkpoint] [--checkpoint-key]</c>: walks the hash-chained audit trail in
/// PostgreSQL and reports the first entry that was altered or deleted; with a signed checkpoint (kept outside the
/// database), also a trail its owner rewrote and re-chained. Exit codes: 0 intact, 1 broken, 2 bad input.
/// </summary>
internal static class AuditCommands
{
    private const int Intact = 0;
    private const int Broken = 1;
    private const int BadInput = 2;

    private static readonly string DirectorySetting = $"{AuditCheckpointOptions.Section}:{nameof(AuditCheckpointOptions.CheckpointDirectory)}";
    private static readonly string KeySetting = $"{AuditCheckpointOptions.Section}:{nameof(AuditCheckpointOptions.CheckpointKeyPem)}";

    public static IEnumerable<Command> Build()
    {
        var connection = ParcelCommands.ConnectionOption();
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = $"A checkpoint file, or a directory of them (the latest is used); defaults to {DirectorySetting}.",
        };
        var checkpointKey = new Option<FileInfo?>("--checkpoint-key")
        {
            Description = $"PEM file of the key that signs checkpoints (public or private); defaults to {KeySetting}.",
        };
        var verify = new Command("verify", "Check every audit entry's hash and link, and the latest signed checkpoint; name the first altered or deleted entry.")
        {
            connection, checkpoint, checkpointKey,
        };
        verify.SetAction(async (parse, ct) =>
        {
            var configuration = ParcelCommands.Configuration();
            var location = parse.GetValue(checkpoint) ?? configuration[DirectorySetting];
            AuditCheckpoint? anchor = null;
            if (!string.IsNullOrWhiteSpace(location))
            {
                try
                {
                    anchor = AuditCheckpointDirectory.LatestIn(location);
                    var key = ReadKey(parse.GetValue(checkpointKey), configuration[KeySetting]);
                    if (!anchor.IsSignedBy(key))
                    {
                        Console.Error.WriteLine(
                            $"Audit trail BROKEN: the checkpoint of entry {anchor.Seq} at {location} is not signed by audit key {key.KeyId}.");
                        return Broken;
                    }
                }
                catch (Exception e) when (e is FileNotFoundException or InvalidDataException or AuditCheckpointKeyException or IOException)
                {
                    Console.Error.WriteLine(e.Message);
                    return BadInput;
                }
            }

            await using var dataSource = PostGisDataSource.Create(ParcelCommands.ConnectionString(parse.GetValue(connection)));
            var result = await AuditTrail.VerifyAsync(dataSource, anchor, ct);
            if (result.IsIntact)
            {
                Console.WriteLine(anchor is null
                    ? $"Audit trail intact: {result.Entries} entries, every hash and link verified " +
                      "(no signed checkpoint given: a rewrite by the database's owner would go unseen)."
                    : $"Audit trail intact: {result.Entries} entries, every hash and link verified, " +
                      $"entry {anchor.Seq} as signed at {anchor.At:O}.");
                return Intact;
            }
            Console.Error.WriteLine(
                $"Audit trail BROKEN at entry {result.FirstBadSeq}: {result.Problem} ({result.Entries} entries verified before it).");
            return Broken;
        });
        return [new Command("audit", "The append-only, hash-chained audit trail.") { verify }];
    }

    private static AuditCheckpointKey ReadKey(FileInfo? file, string? configuredPem)
    {
        if (file is not null)
        {
            return file.Exists
                ? AuditCheckpointKey.FromPem(File.ReadAllText(file.FullName))
                : throw new FileNotFoundException($"Checkpoint key file not found: {file.FullName}");
        }
        return !string.IsNullOrWhiteSpace(configuredPem)
            ? AuditCheckpointKey.FromPem(configuredPem)
            : throw new ConfigurationException(
                $"A checkpoint is checked with its key: pass --checkpoint-key <pem file> or set {KeySetting}.");
    }
}
