using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HcmCity.Audit.Checkpoints;

/// <summary>
/// A signed statement that the audit chain's entry <see cref="Seq"/> had hash <see cref="Hash"/> at <see cref="At"/>.
/// Kept outside the database (files, and served for outside copies), it anchors the chain: whoever rewrites entries up
/// to <see cref="Seq"/>, even re-chaining every hash after them, cannot reproduce that hash, nor sign a new checkpoint.
/// </summary>
/// <param name="Hash">SHA-256 of the entry, lowercase hex.</param>
/// <param name="At">When it was signed, whole seconds (UTC).</param>
/// <param name="Signature">ES256 (P1363, base64url) over <see cref="SignedText"/>.</param>
public sealed record AuditCheckpoint(long Seq, string Hash, DateTimeOffset At, string KeyId, string Signature)
{
    public const string Format = "hcmcity-audit-checkpoint/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>What is signed: the format, seq, hash and Unix time, one per line.</summary>
    public string SignedText => string.Create(CultureInfo.InvariantCulture, $"{Format}\n{Seq}\n{Hash}\n{At.ToUnixTimeSeconds()}");

    public static AuditCheckpoint Sign(long seq, byte[] hash, DateTimeOffset at, AuditCheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var unsigned = new AuditCheckpoint(
            seq, Convert.ToHexStringLower(hash), DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()), key.KeyId, "");
        return unsigned with { Signature = key.Sign(Encoding.UTF8.GetBytes(unsigned.SignedText)) };
    }

    public bool IsSignedBy(AuditCheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return KeyId == key.KeyId && key.Verify(Encoding.UTF8.GetBytes(SignedText), Signature);
    }

    /// <summary>The hash as bytes; empty when <see cref="Hash"/> is not 64 hex digits (such a checkpoint never verifies).</summary>
    public byte[] HashBytes()
    {
        try
        {
            var bytes = Convert.FromHexString(Hash);
            return bytes.Length == AuditChain.HashLength ? bytes : [];
        }
        catch (FormatException)
        {
            return [];
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="InvalidDataException">Not a checkpoint.</exception>
    public static AuditCheckpoint Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditCheckpoint>(json, Json) is { Hash: not null, KeyId: not null, Signature: not null } checkpoint
                ? checkpoint
                : throw new InvalidDataException("Not an audit checkpoint: seq, hash, at, keyId and signature are required.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not an audit checkpoint: {e.Message}", e);
        }
    }
}
