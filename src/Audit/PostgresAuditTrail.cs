using System.Data.Common;
using HcmCity.Abstractions.Audit;
using HcmCity.Audit.Checkpoints;
using Npgsql;

namespace HcmCity.Audit;

/// <summary>
/// The audit trail in PostgreSQL (migrations 0004 and 0011): table audit_log, append-only by trigger, and audit_head,
/// the last seq and hash. The application's role may only read them and call audit_lock_head and audit_append, which
/// run as the owner; the head's row lock chains entries in commit order across processes.
/// </summary>
public sealed class PostgresAuditTrail(NpgsqlDataSource dataSource) : IAuditTrail, ITransactionalAuditTrail
{
    public async Task<AuditEntry> AppendAsync(AuditDraft draft, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var entry = await AppendAsync(connection, transaction, draft, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    Task<AuditEntry> ITransactionalAuditTrail.AppendAsync(
        DbConnection connection, DbTransaction transaction, AuditDraft draft, CancellationToken cancellationToken) =>
        AppendAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, draft, cancellationToken);

    /// <inheritdoc cref="ITransactionalAuditTrail.AppendAsync"/>
    public static async Task<AuditEntry> AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AuditDraft draft, CancellationToken cancellationToken)
    {
        long seq;
        byte[] previous;
        await using (var head = new NpgsqlCommand("SELECT seq, hash FROM audit_lock_head()", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
            {
                throw new InvalidOperationException("audit_head has no row; run the database migrations.");
            }
            seq = reader.GetInt64(0) + 1;
            previous = reader.GetFieldValue<byte[]>(1);
        }

        var entry = AuditChain.Seal(draft, seq, previous);
        await using var append = new NpgsqlCommand("SELECT audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection, transaction)
        {
            Parameters =
            {
                new() { Value = entry.Seq },
                new() { Value = entry.At },
                new() { Value = entry.Actor },
                new() { Value = entry.Role },
                new() { Value = entry.Action },
                new() { Value = entry.Subject },
                new() { Value = entry.Details },
                new() { Value = entry.PrevHash },
                new() { Value = entry.Hash },
            },
        };
        await append.ExecuteNonQueryAsync(cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        var entries = new List<AuditEntry>();
        await using var command = dataSource.CreateCommand(
            "SELECT seq, at, actor, role, action, subject, details, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        command.Parameters.Add(new() { Value = afterSeq });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }
        return entries;
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        AuditTrail.VerifyAsync(dataSource, cancellationToken);

    internal static AuditEntry Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetFieldValue<DateTimeOffset>(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetFieldValue<byte[]>(7),
        reader.GetFieldValue<byte[]>(8));
}

/// <summary>Entry points for tools (a CLI verb, a health check) that hold only a data source.</summary>
public static class AuditTrail
{
    /// <summary>
    /// Streams audit_log in seq order inside one repeatable-read snapshot with its head, and checks the chain:
    /// an altered entry, a deleted entry or a deleted tail is reported with the first seq that fails.
    /// </summary>
    public static Task<AuditVerification> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default) =>
        VerifyAsync(dataSource, checkpoint: null, cancellationToken);

    /// <summary>
    /// <see cref="VerifyAsync(NpgsqlDataSource, CancellationToken)"/>, and against a signed checkpoint kept outside the
    /// database (whose signature the caller has checked): a rewrite by the database's owner is reported too.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(
        NpgsqlDataSource dataSource, AuditCheckpoint? checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long headSeq;
        byte[] headHash;
        await using (var head = new NpgsqlCommand("SELECT seq, hash FROM audit_head", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new AuditVerification(false, 0, null, "audit_head has no row: the head was deleted or migrations were not run.");
            }
            headSeq = reader.GetInt64(0);
            headHash = reader.GetFieldValue<byte[]>(1);
        }

        await using var command = new NpgsqlCommand(
            "SELECT seq, at, actor, role, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq", connection, transaction);
        await using var entries = await command.ExecuteReaderAsync(cancellationToken);
        return AuditChain.Verify(ReadAll(entries, cancellationToken), headSeq, headHash, checkpoint);
    }

    private static IEnumerable<AuditEntry> ReadAll(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        // Synchronous reads over an open reader keep AuditChain.Verify a plain, pure walk over an enumerable.
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return PostgresAuditTrail.Read(reader);
        }
    }
}
