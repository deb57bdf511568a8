using HcmCity.Abstractions.Audit;
using Npgsql;

namespace HcmCity.Permits.EPermits;

/// <summary>The register in PostgreSQL (tables of migration 0005_epermits); a revocation commits with its audit entry.</summary>
public sealed class PostgresEPermitStore(NpgsqlDataSource dataSource, ITransactionalAuditTrail audit) : IEPermitStore
{
    private const string SelectPermit = """
        SELECT p.number, p.dossier_number, p.unit, p.parcel_id, p.issued_at, p.valid_until, p.key_id, p.jws,
               p.holder_name, p.holder_subject, r.revoked_at, r.revoked_by, r.reason
        FROM epermits p LEFT JOIN epermit_revocations r ON r.number = p.number
        """;

    public async Task<long> NextSequenceAsync(string unit, int year, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO epermit_sequences (unit, year, last_value) VALUES ($1, $2, 1)
            ON CONFLICT (unit, year) DO UPDATE SET last_value = epermit_sequences.last_value + 1
            RETURNING last_value
            """);
        command.Parameters.Add(new() { Value = unit });
        command.Parameters.Add(new() { Value = year });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<StoredPermit> AddAsync(StoredPermit permit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(permit);
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO epermits (number, dossier_number, unit, parcel_id, issued_at, valid_until, key_id, jws,
                                  holder_name, holder_subject)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (dossier_number) DO NOTHING
            """))
        {
            insert.Parameters.Add(new() { Value = permit.Number });
            insert.Parameters.Add(new() { Value = permit.DossierNumber });
            insert.Parameters.Add(new() { Value = permit.Unit });
            insert.Parameters.Add(new() { Value = permit.ParcelId });
            insert.Parameters.Add(new() { Value = permit.IssuedAt.UtcDateTime });
            insert.Parameters.Add(new() { Value = permit.ValidUntil.UtcDateTime });
            insert.Parameters.Add(new() { Value = permit.KeyId });
            insert.Parameters.Add(new() { Value = permit.Jws });
            insert.Parameters.Add(new() { Value = (object?)permit.HolderName ?? DBNull.Value });
            insert.Parameters.Add(new() { Value = (object?)permit.HolderSubject ?? DBNull.Value });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return await FindByDossierAsync(permit.DossierNumber, cancellationToken)
            ?? throw new InvalidOperationException($"Permit for dossier {permit.DossierNumber} vanished after insert.");
    }

    public Task<StoredPermit?> GetAsync(string number, CancellationToken cancellationToken = default) =>
        QuerySingleAsync($"{SelectPermit} WHERE p.number = $1", number, cancellationToken);

    public Task<StoredPermit?> FindByDossierAsync(string dossierNumber, CancellationToken cancellationToken = default) =>
        QuerySingleAsync($"{SelectPermit} WHERE p.dossier_number = $1", dossierNumber, cancellationToken);

    public async Task<PermitRevocation?> RevokeAsync(
        string number, PermitRevocation revocation, string revokedByRole, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO epermit_revocations (number, revoked_at, revoked_by, reason)
                SELECT number, $2, $3, $4 FROM epermits WHERE number = $1
                ON CONFLICT (number) DO NOTHING
                """, connection, transaction);
            insert.Parameters.Add(new() { Value = number });
            insert.Parameters.Add(new() { Value = revocation.RevokedAt.UtcDateTime });
            insert.Parameters.Add(new() { Value = revocation.RevokedBy });
            insert.Parameters.Add(new() { Value = revocation.Reason });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                await audit.AppendAsync(connection, transaction, EPermitAudit.Revoked(number, revocation, revokedByRole), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return (await GetAsync(number, cancellationToken))?.Revocation;
    }

    public async Task<IReadOnlyList<RevokedPermit>> ListRevocationsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT number, revoked_at, reason FROM epermit_revocations ORDER BY revoked_at DESC, number LIMIT $1");
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<RevokedPermit>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new RevokedPermit(reader.GetString(0), Utc(reader.GetDateTime(1)), reader.GetString(2)));
        }
        return list;
    }

    private async Task<StoredPermit?> QuerySingleAsync(string sql, string value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var revocation = reader.IsDBNull(10)
            ? null
            : new PermitRevocation(Utc(reader.GetDateTime(10)), reader.GetString(11), reader.GetString(12));
        return new StoredPermit(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
            Utc(reader.GetDateTime(4)), Utc(reader.GetDateTime(5)), reader.GetString(6), reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9), revocation);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
