namespace HcmCity.Audit.Checkpoints;

/// <summary>Audit checkpoint settings, section "Audit".</summary>
public sealed class AuditCheckpointOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// ECDSA P-256 private key (PKCS#8 PEM, from a secret; <c>keys generate --out</c> makes one: use a key of its own, not the permits') that signs checkpoints. Required in
    /// production; embedded mode generates one per process.
    /// </summary>
    public string? CheckpointKeyPem { get; set; }

    /// <summary>Where checkpoints are written, outside the database. Required in production; none written when empty.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>How often the head is signed when it moved.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The signing key and, when configured, the directory checkpoints are written to.</summary>
public sealed record AuditCheckpointing(AuditCheckpointKey Key, AuditCheckpointDirectory? Directory);
