using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using HcmCity.Abstractions.Audit;
using HcmCity.Audit.Checkpoints;

namespace HcmCity.Audit;

/// <summary>
/// The hash chain of the audit trail, pure. Each entry carries the hash of the one before it, so altering an entry
/// breaks its own hash and deleting one breaks the next entry's link; the head (last seq and hash, kept beside the
/// log) catches a deleted tail.
/// </summary>
public static class AuditChain
{
    public const int HashLength = 32;

    /// <summary>The "previous hash" of the first entry.</summary>
    public static byte[] Genesis => new byte[HashLength];

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    /// <summary>Seals <paramref name="draft"/> as entry <paramref name="seq"/> after the entry hashed <paramref name="previous"/>.</summary>
    public static AuditEntry Seal(AuditDraft draft, long seq, byte[] previous)
    {
        // PostgreSQL keeps microseconds: truncate first so the stored entry hashes the same when read back.
        var at = new DateTimeOffset(draft.At.UtcTicks - draft.At.UtcTicks % 10, TimeSpan.Zero);
        var details = CanonicalDetails(draft.Details);
        var entry = new AuditEntry(seq, at, draft.Actor, draft.Role, draft.Action, draft.Subject, details, previous, []);
        return entry with { Hash = ComputeHash(entry) };
    }

    /// <summary>SHA-256 of the previous hash followed by the entry's canonical JSON (UTF-8).</summary>
    public static byte[] ComputeHash(AuditEntry entry)
    {
        var canonical = Canonical(entry);
        var input = new byte[entry.PrevHash.Length + canonical.Length];
        entry.PrevHash.CopyTo(input, 0);
        canonical.CopyTo(input, entry.PrevHash.Length);
        return SHA256.HashData(input);
    }

    /// <summary>
    /// Checks entries in seq order: consecutive seqs from 1, each linked to the previous hash and hashing to its own,
    /// and the last one equal to the head.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, long headSeq, byte[] headHash) =>
        Verify(entries, headSeq, headHash, checkpoint: null);

    /// <summary>
    /// <see cref="Verify(IEnumerable{AuditEntry}, long, byte[])"/>, and the entry a signed checkpoint names still has
    /// the checkpoint's hash: a chain rewritten and re-chained by someone holding the database (who can recompute
    /// every hash and the head) no longer matches it. The caller checks the checkpoint's signature.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, long headSeq, byte[] headHash, AuditCheckpoint? checkpoint)
    {
        var previous = Genesis;
        long expectedSeq = 1;
        long count = 0;
        foreach (var entry in entries)
        {
            if (Problem(entry, expectedSeq, previous) is { } problem)
            {
                return new(false, count, expectedSeq, problem);
            }
            if (checkpoint is not null && entry.Seq == checkpoint.Seq &&
                !CryptographicOperations.FixedTimeEquals(entry.Hash, checkpoint.HashBytes()))
            {
                return new(false, count, entry.Seq,
                    $"Entry {entry.Seq} differs from the checkpoint signed at {checkpoint.At:O}: the trail was rewritten up to it.");
            }
            previous = entry.Hash;
            expectedSeq++;
            count++;
        }

        if (headSeq != count || !CryptographicOperations.FixedTimeEquals(headHash, previous))
        {
            return new(false, count, count + 1, $"The log ends at entry {count} but its head records entry {headSeq}: entries were deleted.");
        }
        if (checkpoint is not null && count < checkpoint.Seq)
        {
            return new(false, count, count + 1,
                $"The log ends at entry {count} but the checkpoint signed at {checkpoint.At:O} records entry {checkpoint.Seq}: the trail was rewritten.");
        }

        return AuditVerification.Intact(count);
    }

    /// <summary>
    /// Follows the chain from entry <paramref name="fromSeq"/> (hash <paramref name="fromHash"/>, the genesis for 0)
    /// through <paramref name="entries"/>, the entries after it in seq order. Returns the last seq and hash reached, or
    /// the problem at the first entry that does not extend it.
    /// </summary>
    public static (long Seq, byte[] Hash, string? Problem) Extend(IEnumerable<AuditEntry> entries, long fromSeq, byte[] fromHash)
    {
        var (seq, hash) = (fromSeq, fromHash);
        foreach (var entry in entries)
        {
            if (Problem(entry, seq + 1, hash) is { } problem)
            {
                return (seq, hash, problem);
            }
            (seq, hash) = (entry.Seq, entry.Hash);
        }
        return (seq, hash, null);
    }

    /// <summary>Why <paramref name="entry"/> is not entry <paramref name="seq"/> linked to <paramref name="previous"/>, or null.</summary>
    private static string? Problem(AuditEntry entry, long seq, byte[] previous) =>
        entry.Seq != seq ? $"Entry {seq} is missing (next entry is {entry.Seq})."
        : !CryptographicOperations.FixedTimeEquals(entry.PrevHash, previous) ? $"Entry {seq} does not link to the hash of entry {seq - 1}."
        : !CryptographicOperations.FixedTimeEquals(entry.Hash, ComputeHash(entry)) ? $"Entry {seq} was altered: its content no longer matches its hash."
        : null;

    /// <summary>Details as JSON with keys in ordinal order, no whitespace: one text per content.</summary>
    public static string CanonicalDetails(IReadOnlyDictionary<string, string?> details)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static byte[] Canonical(AuditEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", entry.Seq);
            json.WriteString("at", entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("actor", entry.Actor);
            json.WriteString("role", entry.Role);
            json.WriteString("action", entry.Action);
            json.WriteString("subject", entry.Subject);
            json.WritePropertyName("details");
            json.WriteRawValue(entry.Details, skipInputValidation: false);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
