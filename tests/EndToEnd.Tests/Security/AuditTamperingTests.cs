using System.Text.Json;
using HcmCity.Abstractions.Audit;
using HcmCity.Audit;
using HcmCity.Audit.Checkpoints;
using HcmCity.Testing;
using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace HcmCity.EndToEnd.Tests.Security;

/// <summary>
/// Issue #11, item 3: the attack that left `audit verify` saying "intact" (disable the trigger, delete two
/// personal-data.read entries, re-chain the rest, move audit_head) fails for the application's role, and succeeds for
/// the owner only in the database: the signed checkpoint kept outside it exposes the rewrite.
/// </summary>
public sealed class AuditTamperingTests : IAsyncLifetime
{
    private const string Read = "personal-data.read";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"hcm-audit-tamper-{Guid.NewGuid():N}");
    private PostgresDatabase _database = null!;
    private NpgsqlDataSource _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresDatabase.CreateOwnedAsync(Ct);
        await _database.MigrateAsync(Ct);
        _app = PostGisDataSource.Create(_database.AppConnectionString!);
        var trail = new PostgresAuditTrail(_app);
        // Six entries as the platform writes them: dossier steps and two officers' reads of an applicant's data.
        string[] actions = ["permit.submit", Read, "permit.start-appraisal", Read, "permit.approve", "permit.issue"];
        for (var i = 0; i < actions.Length; i++)
        {
            await trail.AppendAsync(new AuditDraft(
                DateTimeOffset.UtcNow, $"officer-{i % 2}", "officer", actions[i], "HS-79-2026-000042",
                new Dictionary<string, string?> { ["step"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }), Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_application_role_may_read_and_append_but_every_step_of_the_rewrite_is_denied()
    {
        string[] attack =
        [
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
            "ALTER TABLE audit_log DISABLE TRIGGER USER",
            $"DELETE FROM audit_log WHERE action = '{Read}'",
            "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2",
            "UPDATE audit_head SET seq = 4",
            "INSERT INTO audit_log SELECT seq + 100, at, actor, role, action, subject, details, prev_hash, sha256(hash) FROM audit_log WHERE seq = 1",
            "TRUNCATE audit_log",
            "DELETE FROM audit_head",
            "SET session_replication_role = replica",
        ];

        var denied = new List<string>();
        foreach (var sql in attack)
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_app, sql));
            denied.Add($"{error.SqlState} {sql}");
        }
        // Nor can it append anything but the next entry linked to the head.
        var forged = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_app,
            "SELECT audit_append(3, now(), 'x', 'officer', 'permit.approve', 'HS', '{}', decode(repeat('00', 32), 'hex'), sha256('x'))"));
        var trail = new PostgresAuditTrail(_app);
        await trail.AppendAsync(new AuditDraft(DateTimeOffset.UtcNow, "officer-1", "officer", Read, "HS-79-2026-000043",
            new Dictionary<string, string?>()), Ct);

        Assert.All(denied, d => Assert.StartsWith("42501 ", d, StringComparison.Ordinal));
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, forged.SqlState);
        Assert.Equal(AuditVerification.Intact(7), await AuditTrail.VerifyAsync(_app, Ct));
        Assert.Equal(2L + 1, await ScalarAsync<long>(_app, $"SELECT count(*) FROM audit_log WHERE action = '{Read}'"));
    }

    [Fact]
    public async Task A_rewrite_by_the_owner_fools_the_chain_but_not_the_signed_checkpoint()
    {
        var key = AuditCheckpointKey.Generate();
        var writer = new AuditCheckpointWriter(new PostgresAuditTrail(_app), key, new AuditCheckpointDirectory(_directory),
            new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<AuditCheckpointWriter>.Instance);
        var signed = await writer.CheckpointAsync(Ct);
        var keyFile = Path.Combine(_directory, "audit-key.pub.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportPublicKeyPem(), Ct);
        string[] chainOnly = ["audit", "verify", "--connection", _database.AppConnectionString!];
        string[] withCheckpoint = [.. chainOnly, "--checkpoint", _directory, "--checkpoint-key", keyFile];
        var before = await SiloProcess.RunAsync(withCheckpoint);

        await RewriteAsOwnerWithoutReadsAsync();
        var chainAfter = await SiloProcess.RunAsync(chainOnly);
        var anchoredAfter = await SiloProcess.RunAsync(withCheckpoint);
        await new PostgresAuditTrail(_app).AppendAsync(new AuditDraft(DateTimeOffset.UtcNow, "officer-0", "officer",
            "permit.approve", "HS-79-2026-000044", new Dictionary<string, string?>()), Ct);
        var refused = await Assert.ThrowsAsync<AuditChainBrokenException>(() => writer.CheckpointAsync(Ct));

        Assert.Equal(6, signed!.Seq);
        Assert.Equal(0, before.Exit);
        Assert.Contains("intact: 6 entries", before.Stdout, StringComparison.Ordinal);
        // The owner's rewrite is consistent in itself: the chain alone cannot tell...
        Assert.Equal(0, chainAfter.Exit);
        Assert.Contains("intact: 4 entries", chainAfter.Stdout, StringComparison.Ordinal);
        // ... the checkpoint signed before it can, and no new checkpoint is signed over it.
        Assert.Equal(1, anchoredAfter.Exit);
        Assert.Contains("BROKEN", anchoredAfter.Stderr, StringComparison.Ordinal);
        Assert.Contains("checkpoint", anchoredAfter.Stderr, StringComparison.Ordinal);
        Assert.Contains("rewritten", refused.Message, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFiles(_directory, "checkpoint-*.json"));
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_or_altered_is_reported()
    {
        var key = AuditCheckpointKey.Generate();
        var checkpoint = AuditCheckpoint.Sign(6, [.. Enumerable.Repeat((byte)7, 32)], DateTimeOffset.UtcNow, key);
        var other = AuditCheckpointKey.Generate();
        Directory.CreateDirectory(_directory);
        var keyFile = Path.Combine(_directory, "other.pem");
        await File.WriteAllTextAsync(keyFile, other.ExportPublicKeyPem(), Ct);
        var file = Path.Combine(_directory, "checkpoint.json");
        await File.WriteAllTextAsync(file, checkpoint.ToJson(), Ct);

        var wrongKey = await SiloProcess.RunAsync(["audit", "verify", "--connection", _database.AppConnectionString!, "--checkpoint", file, "--checkpoint-key", keyFile]);
        var noKey = await SiloProcess.RunAsync(["audit", "verify", "--connection", _database.AppConnectionString!, "--checkpoint", file],
            new Dictionary<string, string> { ["Audit__CheckpointKeyPem"] = "" });

        Assert.True(checkpoint.IsSignedBy(key));
        Assert.False((checkpoint with { Seq = 5 }).IsSignedBy(key));
        Assert.False((checkpoint with { Hash = new string('0', 64) }).IsSignedBy(key));
        Assert.False(checkpoint.IsSignedBy(other));
        Assert.Equal(1, wrongKey.Exit);
        Assert.Contains("not signed by audit key", wrongKey.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noKey.Exit);
        Assert.Contains("Audit:CheckpointKeyPem", noKey.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The attack, with the owner's rights: the trigger off, the reads gone, the rest re-chained, the head moved.</summary>
    private async Task RewriteAsOwnerWithoutReadsAsync()
    {
        var entries = await new PostgresAuditTrail(_database.DataSource).ReadAsync(0, 100, Ct);
        var kept = new List<AuditEntry>();
        foreach (var entry in entries.Where(e => e.Action != Read))
        {
            var details = JsonSerializer.Deserialize<Dictionary<string, string?>>(entry.Details)!;
            kept.Add(AuditChain.Seal(new AuditDraft(entry.At, entry.Actor, entry.Role, entry.Action, entry.Subject, details),
                kept.Count + 1, kept.Count == 0 ? AuditChain.Genesis : kept[^1].Hash));
        }
        await using var connection = await _database.DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var disable = new NpgsqlCommand("ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log", connection, transaction))
        {
            await disable.ExecuteNonQueryAsync(Ct);
        }
        foreach (var entry in kept)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO audit_log (seq, at, actor, role, action, subject, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                connection, transaction);
            foreach (var value in new object[] { entry.Seq, entry.At, entry.Actor, entry.Role, entry.Action, entry.Subject, entry.Details, entry.PrevHash, entry.Hash })
            {
                insert.Parameters.Add(new() { Value = value });
            }
            await insert.ExecuteNonQueryAsync(Ct);
        }
        await using (var head = new NpgsqlCommand("UPDATE audit_head SET seq = $1, hash = $2", connection, transaction))
        {
            head.Parameters.Add(new() { Value = kept[^1].Seq });
            head.Parameters.Add(new() { Value = kept[^1].Hash });
            await head.ExecuteNonQueryAsync(Ct);
        }
        await using (var enable = new NpgsqlCommand("ALTER TABLE audit_log ENABLE TRIGGER USER", connection, transaction))
        {
            await enable.ExecuteNonQueryAsync(Ct);
        }
        await transaction.CommitAsync(Ct);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
