using System.Globalization;

namespace HcmCity.Audit.Checkpoints;

/// <summary>
/// Checkpoints as files <c>checkpoint-{seq}.json</c>, one per signed head, never rewritten. The directory should live
/// where the database's administrators cannot write (another host, a write-once bucket mounted here).
/// </summary>
public sealed class AuditCheckpointDirectory(string path)
{
    private const string Prefix = "checkpoint-";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Writes a new file, atomically (temp file, then rename); a checkpoint of the same seq already there stays.</summary>
    public async Task WriteAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Directory.CreateDirectory(Path);
        var file = System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{checkpoint.Seq:D12}.json"));
        if (File.Exists(file))
        {
            return;
        }
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, checkpoint.ToJson(), cancellationToken);
        try
        {
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process signed the same head a moment earlier: its file stands.
            File.Delete(temporary);
        }
    }

    /// <summary>The checkpoint of the highest seq, or null when there is none yet.</summary>
    public AuditCheckpoint? Latest()
    {
        if (!Directory.Exists(Path))
        {
            return null;
        }
        var latest = Directory.EnumerateFiles(Path, $"{Prefix}*.json")
            .OrderByDescending(f => System.IO.Path.GetFileName(f), StringComparer.Ordinal)
            .FirstOrDefault();
        return latest is null ? null : AuditCheckpoint.Parse(File.ReadAllText(latest));
    }

    /// <summary>The latest checkpoint of a directory, or the checkpoint in a file.</summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a directory holding a checkpoint.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint.</exception>
    public static AuditCheckpoint LatestIn(string fileOrDirectory)
    {
        if (File.Exists(fileOrDirectory))
        {
            return AuditCheckpoint.Parse(File.ReadAllText(fileOrDirectory));
        }
        return new AuditCheckpointDirectory(fileOrDirectory).Latest()
            ?? throw new FileNotFoundException($"No audit checkpoint at {fileOrDirectory}.", fileOrDirectory);
    }
}
