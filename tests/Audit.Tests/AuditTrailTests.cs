using HcmCity.Abstractions.Audit;
using HcmCity.Testing;
using HcmCity.Audit;
using Npgsql;

namespace HcmCity.Audit.Tests;

/// <summary>The hash-chained audit log on PostgreSQL: append-only by trigger, and tampering by a superuser is detected.</summary>
public sealed class AuditTrailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditDraft Draft(int i) => new(
        DateTimeOffset.UtcNow, $"officer-{i}", "officer", "permit.approve", $"HS-2026-{i:D6}",
        new Dictionary<string, string?> { ["from"] = "appraisal", ["to"] = "approved", ["reason"] = $"Đủ điều kiện {i}" });

    private static async Task<(PostgresDatabase Database, PostgresAuditTrail Trail)> AuditedDatabaseAsync(int entries)
    {
        var database = await PostgresDatabase.CreateAsync(Ct);
        await database.MigrateAsync(Ct);
        var trail = new PostgresAuditTrail(database.DataSource);
        for (var i = 1; i <= entries; i++)
        {
            await trail.AppendAsync(Draft(i), Ct);
        }
        return (database, trail);
    }

    private static async Task ExecuteAsync(PostgresDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task An_untouched_chain_verifies_and_links_each_entry_to_the_one_before()
    {
        var (database, trail) = await AuditedDatabaseAsync(5);
        await using var _ = database;

        var verification = await AuditTrail.VerifyAsync(database.DataSource, Ct);
        var entries = await trail.ReadAsync(0, 100, Ct);

        Assert.Equal(AuditVerification.Intact(5), verification);
        Assert.Equal(AuditChain.Genesis, entries[0].PrevHash);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].Hash, entries[i].PrevHash);
        }
    }

    [Fact]
    public async Task Update_and_delete_are_refused_by_the_trigger()
    {
        var (database, _) = await AuditedDatabaseAsync(2);
        await using var __ = database;

        var update = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(database, "UPDATE audit_log SET actor = 'x' WHERE seq = 1"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(database, "DELETE FROM audit_log WHERE seq = 2"));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(database, "TRUNCATE audit_log"));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", truncate.MessageText, StringComparison.Ordinal);
        Assert.True((await AuditTrail.VerifyAsync(database.DataSource, Ct)).IsIntact);
    }

    [Fact]
    public async Task An_entry_altered_by_a_superuser_who_disabled_the_trigger_is_detected()
    {
        var (database, _) = await AuditedDatabaseAsync(5);
        await using var _ = database;

        await ExecuteAsync(database, """
            ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete;
            UPDATE audit_log SET details = replace(details, 'approved', 'refused') WHERE seq = 3;
            ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete;
            """);
        var verification = await AuditTrail.VerifyAsync(database.DataSource, Ct);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBadSeq);
        Assert.Contains("altered", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_altered_entry_whose_hash_was_recomputed_breaks_the_next_link()
    {
        var (database, _) = await AuditedDatabaseAsync(5);
        await using var _ = database;

        await ExecuteAsync(database, """
            SET session_replication_role = replica;
            UPDATE audit_log SET actor = 'someone-else', hash = sha256(hash) WHERE seq = 2;
            SET session_replication_role = origin;
            """);
        var verification = await AuditTrail.VerifyAsync(database.DataSource, Ct);

        Assert.False(verification.IsIntact);
        Assert.Equal(2, verification.FirstBadSeq);
    }

    [Fact]
    public async Task The_audit_verify_verb_says_intact_then_names_the_entry_a_superuser_altered()
    {
        var (database, _) = await AuditedDatabaseAsync(5);
        await using var _ = database;
        string[] verify = ["audit", "verify", "--connection", database.ConnectionString];

        var intact = await SiloProcess.RunAsync(verify);
        await ExecuteAsync(database, """
            SET session_replication_role = replica;
            UPDATE audit_log SET subject = 'HS-2026-999999' WHERE seq = 3;
            SET session_replication_role = origin;
            """);
        var broken = await SiloProcess.RunAsync(verify);
        var noConnection = await SiloProcess.RunAsync(["audit", "verify"], new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = "" });

        Assert.Equal(0, intact.Exit);
        Assert.Contains("intact: 5 entries", intact.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, broken.Exit);
        Assert.Contains("BROKEN at entry 3", broken.Stderr, StringComparison.Ordinal);
        Assert.Contains("altered", broken.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noConnection.Exit);
        Assert.Contains("ConnectionStrings:Postgres", noConnection.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_entry_is_detected_where_the_chain_breaks()
    {
        var (database, _) = await AuditedDatabaseAsync(5);
        await using var _ = database;

        await ExecuteAsync(database, """
            SET session_replication_role = replica;
            DELETE FROM audit_log WHERE seq = 4;
            SET session_replication_role = origin;
            """);
        var verification = await AuditTrail.VerifyAsync(database.DataSource, Ct);

        Assert.False(verification.IsIntact);
        Assert.Equal(4, verification.FirstBadSeq);
        Assert.Contains("missing", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_last_entry_is_detected_against_the_head()
    {
        var (database, _) = await AuditedDatabaseAsync(3);
        await using var _ = database;

        await ExecuteAsync(database, """
            SET session_replication_role = replica;
            DELETE FROM audit_log WHERE seq = 3;
            SET session_replication_role = origin;
            """);
        var verification = await AuditTrail.VerifyAsync(database.DataSource, Ct);

        Assert.False(verification.IsIntact);
        Assert.Equal(2, verification.Entries);
        Assert.Contains("deleted", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_appenders_from_several_connections_build_one_unbroken_chain()
    {
        var (database, trail) = await AuditedDatabaseAsync(0);
        await using var _ = database;

        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => trail.AppendAsync(Draft(i), Ct)));

        Assert.Equal(AuditVerification.Intact(40), await AuditTrail.VerifyAsync(database.DataSource, Ct));
    }

    [Fact]
    public async Task The_in_memory_trail_uses_the_same_chain_and_detects_an_altered_copy()
    {
        var trail = new InMemoryAuditTrail();
        for (var i = 1; i <= 4; i++)
        {
            await trail.AppendAsync(Draft(i), Ct);
        }
        var entries = (await trail.ReadAsync(0, 10, Ct)).ToList();
        var altered = entries.Select(e => e.Seq == 2 ? e with { Role = "admin" } : e).ToList();
        var withoutSecond = entries.Where(e => e.Seq != 2).ToList();

        Assert.True((await trail.VerifyAsync(Ct)).IsIntact);
        Assert.Equal(2, AuditChain.Verify(altered, 4, entries[^1].Hash).FirstBadSeq);
        Assert.Equal(2, AuditChain.Verify(withoutSecond, 4, entries[^1].Hash).FirstBadSeq);
        Assert.False(AuditChain.Verify(entries.Take(3), 4, entries[^1].Hash).IsIntact);
    }
}
