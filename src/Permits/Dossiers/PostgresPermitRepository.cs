using HcmCity.Abstractions.Audit;
using HcmCity.Permits.Public;
using Npgsql;

namespace HcmCity.Permits.Dossiers;

/// <summary>Dossiers in PostgreSQL (migration 0003); each write commits together with its audit entry.</summary>
public sealed class PostgresPermitRepository(NpgsqlDataSource dataSource, ITransactionalAuditTrail audit) : IPermitRepository
{
    private const string DossierColumns = """
        number, unit, parcel_id, permit_type, floors, height, basements, road_width, ST_AsGeoJSON(footprint, 9, 0), ST_SRID(footprint),
        applicant_id, state, submitted_by, submitted_role, submitted_at, complete_at, deadline, deficiency_notified, warned,
        overdue, permit_number, tracking_secret_hash, version, updated_at, start_by, planned_start
        """;

    public async Task<long> NextDossierSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT nextval('permit_dossier_seq')");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private const string ApplicantColumns = "id, citizen_id, full_name, address, phone, owner_subject, version";

    public async Task<ApplicantProfile?> FindOwnApplicantAsync(string ownerSubject, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(LatestOwnQuery);
        command.Parameters.Add(new() { Value = ownerSubject });
        return await ReadApplicantAsync(command, cancellationToken);
    }

    public async Task<ApplicantProfile?> GetApplicantAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ApplicantColumns} FROM restricted.permit_applicants WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await ReadApplicantAsync(command, cancellationToken);
    }

    public async Task<ApplicantProfile> DeclareApplicantAsync(ApplicantDeclaration declaration, string actorSubject, string actorRole,
        CancellationToken cancellationToken = default)
    {
        if (!ApplicantProfile.IsCitizenId(declaration.CitizenId))
        {
            throw new ArgumentException("A CCCD is 12 digits.", nameof(declaration));
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        ApplicantProfile? latest = null;
        if (declaration.OwnerSubject is { } owner)
        {
            // One declaration per owner at a time: the next version number is read and taken under this lock, and
            // a first declaration racing another with a different CCCD sees it and is refused.
            await using (var lockOwner = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 9))", connection, transaction))
            {
                lockOwner.Parameters.Add(new() { Value = owner });
                await lockOwner.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var find = new NpgsqlCommand(LatestOwnQuery, connection, transaction);
            find.Parameters.Add(new() { Value = owner });
            latest = await ReadApplicantAsync(find, cancellationToken);
            if (latest is not null && latest.CitizenId != declaration.CitizenId)
            {
                throw new ApplicantIdentityException();
            }
            if (latest is not null && latest.Matches(declaration))
            {
                return latest;
            }
        }
        var version = (latest?.Version ?? 0) + 1;
        await using var insert = new NpgsqlCommand("""
            INSERT INTO restricted.permit_applicants (citizen_id, full_name, address, phone, owner_subject, version)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, connection, transaction);
        insert.Parameters.Add(new() { Value = declaration.CitizenId });
        insert.Parameters.Add(new() { Value = declaration.FullName });
        insert.Parameters.Add(new() { Value = declaration.Address });
        insert.Parameters.Add(new() { Value = declaration.Phone });
        insert.Parameters.Add(new() { Value = (object?)declaration.OwnerSubject ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = version });
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await audit.AppendAsync(connection, transaction, PermitAudit.Applicant(id, version, actorSubject, actorRole, DateTimeOffset.UtcNow), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApplicantProfile(id, declaration.CitizenId, declaration.FullName, declaration.Address, declaration.Phone,
            declaration.OwnerSubject, version);
    }

    private const string LatestOwnQuery =
        $"SELECT {ApplicantColumns} FROM restricted.permit_applicants WHERE owner_subject = $1 ORDER BY version DESC LIMIT 1";

    public async Task CreateAsync(PermitRecord dossier, PermitEventRecord submitted, CancellationToken cancellationToken = default)
    {
        if (dossier.Version != 1 || submitted.Seq != 1)
        {
            throw new PermitConcurrencyException(dossier.Number);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO permit_applications (number, unit, parcel_id, permit_type, floors, height, basements, road_width, footprint,
                applicant_id, state, submitted_by, submitted_role, submitted_at, complete_at, deadline, deficiency_notified, warned,
                overdue, permit_number, tracking_secret_hash, version, updated_at, start_by, planned_start)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ST_SetSRID(ST_GeomFromGeoJSON($9), $10),
                $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
            ON CONFLICT (number) DO NOTHING
            """, connection, transaction))
        {
            AddDossierParameters(insert, dossier);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new PermitConcurrencyException(dossier.Number);
            }
        }
        await InsertEventAsync(connection, transaction, submitted, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SaveAsync(PermitRecord dossier, PermitEventRecord evt, CancellationToken cancellationToken = default)
    {
        if (evt.Seq != dossier.Version)
        {
            throw new PermitConcurrencyException(dossier.Number);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE permit_applications SET unit = $2, parcel_id = $3, permit_type = $4, floors = $5, height = $6, basements = $7,
                road_width = $8, footprint = ST_SetSRID(ST_GeomFromGeoJSON($9), $10), applicant_id = $11, state = $12,
                submitted_by = $13, submitted_role = $14, submitted_at = $15, complete_at = $16, deadline = $17,
                deficiency_notified = $18, warned = $19, overdue = $20, permit_number = $21, tracking_secret_hash = $22,
                version = $23, updated_at = $24, start_by = $25, planned_start = $26
            WHERE number = $1 AND version = $23 - 1
            """, connection, transaction))
        {
            AddDossierParameters(update, dossier);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new PermitConcurrencyException(dossier.Number);
            }
        }
        await InsertEventAsync(connection, transaction, evt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<PermitRecord?> GetAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DossierColumns} FROM permit_applications WHERE number = $1");
        command.Parameters.Add(new() { Value = number });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDossier(reader) : null;
    }

    public async Task<IReadOnlyList<PermitEventRecord>> GetHistoryAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT number, seq, action, from_state, to_state, actor_subject, actor_role, at, reason
            FROM permit_events WHERE number = $1 ORDER BY seq
            """);
        command.Parameters.Add(new() { Value = number });
        var events = new List<PermitEventRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new PermitEventRecord(
                reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return events;
    }

    public async Task<IReadOnlyList<PermitRecord>> ListAsync(PermitListQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {DossierColumns} FROM permit_applications
            WHERE unit = $1 AND ($2::text IS NULL OR state = $2) AND ($3::boolean IS NULL OR overdue = $3)
            ORDER BY submitted_at DESC, number DESC LIMIT $4 OFFSET $5
            """);
        command.Parameters.Add(new() { Value = query.Unit });
        command.Parameters.Add(new() { Value = (object?)query.State ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)query.Overdue ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
        command.Parameters.Add(new() { Value = query.Limit });
        command.Parameters.Add(new() { Value = query.Offset });
        var dossiers = new List<PermitRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            dossiers.Add(ReadDossier(reader));
        }
        return dossiers;
    }

    public async Task<IReadOnlyList<ProcessingRow>> ProcessingFiguresAsync(ProcessingQuery query, CancellationToken cancellationToken = default)
    {
        // Dates are Vietnam dates (UTC+7, no daylight saving); working days come from the calendar's running count
        // ($7, from $8), so processing days are computed here by the same calendar as the statutory clock.
        await using var command = dataSource.CreateCommand("""
            WITH resolution AS (
                SELECT DISTINCT ON (number) number, at FROM permit_events
                WHERE action = ANY($9) ORDER BY number, seq
            ), dossier AS (
                SELECT a.unit, a.permit_type, a.state, a.deadline,
                    (a.submitted_at AT TIME ZONE INTERVAL '07:00')::date AS received,
                    (r.at AT TIME ZONE INTERVAL '07:00')::date AS resolved
                FROM permit_applications a LEFT JOIN resolution r USING (number)
                WHERE ($1::text IS NULL OR a.unit = $1) AND ($2::text IS NULL OR a.permit_type = $2)
            ), marked AS (
                SELECT unit, permit_type, state, deadline, received, resolved,
                    ($3::date IS NULL OR received >= $3) AND ($4::date IS NULL OR received <= $4) AS counted,
                    resolved IS NOT NULL AND ($3::date IS NULL OR resolved >= $3) AND ($4::date IS NULL OR resolved <= $4) AS resolved_in_period
                FROM dossier
            )
            SELECT unit, permit_type,
                count(*) FILTER (WHERE counted)::int,
                count(*) FILTER (WHERE resolved_in_period)::int,
                count(*) FILTER (WHERE resolved_in_period AND resolved <= deadline)::int,
                count(*) FILTER (WHERE counted AND resolved IS NULL AND state = ANY($6) AND deadline < $5)::int,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY $7[resolved - $8 + 1] - $7[received - $8 + 1]) FILTER (WHERE resolved_in_period)
            FROM marked
            WHERE counted OR resolved_in_period
            GROUP BY unit, permit_type
            ORDER BY unit COLLATE "C", permit_type COLLATE "C"
            """);
        var p = command.Parameters;
        p.Add(new() { Value = (object?)query.Ward ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)query.Procedure ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)query.From ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        p.Add(new() { Value = (object?)query.To ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        p.Add(new() { Value = query.Today });
        p.Add(new() { Value = ProcessingQuery.OpenStates });
        p.Add(new() { Value = query.Days.Counts.ToArray() });
        p.Add(new() { Value = query.Days.Origin });
        p.Add(new() { Value = ProcessingQuery.ResolvingActions });
        var rows = new List<ProcessingRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ProcessingRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetDouble(6)));
        }
        return rows;
    }

    private async Task InsertEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PermitEventRecord evt, CancellationToken cancellationToken)
    {
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO permit_events (number, seq, action, from_state, to_state, actor_subject, actor_role, at, reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = evt.Number });
            insert.Parameters.Add(new() { Value = evt.Seq });
            insert.Parameters.Add(new() { Value = evt.Action });
            insert.Parameters.Add(new() { Value = evt.FromState });
            insert.Parameters.Add(new() { Value = evt.ToState });
            insert.Parameters.Add(new() { Value = evt.ActorSubject });
            insert.Parameters.Add(new() { Value = evt.ActorRole });
            insert.Parameters.Add(new() { Value = evt.At });
            insert.Parameters.Add(new() { Value = (object?)evt.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await audit.AppendAsync(connection, transaction, PermitAudit.Event(evt), cancellationToken);
    }

    private static void AddDossierParameters(NpgsqlCommand command, PermitRecord d)
    {
        var p = command.Parameters;
        p.Add(new() { Value = d.Number });
        p.Add(new() { Value = d.Unit });
        p.Add(new() { Value = d.ParcelId });
        p.Add(new() { Value = d.PermitType });
        p.Add(new() { Value = d.SitePlan.Floors });
        p.Add(new() { Value = d.SitePlan.Height });
        p.Add(new() { Value = d.SitePlan.Basements });
        p.Add(new() { Value = d.SitePlan.RoadWidth });
        p.Add(new() { Value = d.SitePlan.FootprintGeoJson });
        p.Add(new() { Value = d.SitePlan.Srid });
        p.Add(new() { Value = d.ApplicantId });
        p.Add(new() { Value = d.State });
        p.Add(new() { Value = d.SubmittedBy });
        p.Add(new() { Value = d.SubmittedRole });
        p.Add(new() { Value = d.SubmittedAt });
        p.Add(new() { Value = (object?)d.CompleteAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        p.Add(new() { Value = (object?)d.Deadline ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        p.Add(new() { Value = d.DeficiencyNotified });
        p.Add(new() { Value = d.Warned });
        p.Add(new() { Value = d.Overdue });
        p.Add(new() { Value = (object?)d.PermitNumber ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        p.Add(new() { Value = d.TrackingSecretHash });
        p.Add(new() { Value = d.Version });
        p.Add(new() { Value = d.UpdatedAt });
        p.Add(new() { Value = (object?)d.StartBy ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        p.Add(new() { Value = (object?)d.PlannedStart ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
    }

    private static PermitRecord ReadDossier(NpgsqlDataReader r) => new(
        Number: r.GetString(0),
        Unit: r.GetString(1),
        ParcelId: r.GetInt64(2),
        PermitType: r.GetString(3),
        SitePlan: new PermitSitePlan(r.GetInt32(4), r.GetDouble(5), r.GetInt32(6), r.GetDouble(7), r.GetString(8), r.GetInt32(9)),
        ApplicantId: r.GetInt64(10),
        State: r.GetString(11),
        SubmittedBy: r.GetString(12),
        SubmittedRole: r.GetString(13),
        SubmittedAt: r.GetFieldValue<DateTimeOffset>(14),
        CompleteAt: r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15),
        Deadline: r.IsDBNull(16) ? null : r.GetFieldValue<DateOnly>(16),
        DeficiencyNotified: r.GetBoolean(17),
        Warned: r.GetBoolean(18),
        Overdue: r.GetBoolean(19),
        PermitNumber: r.IsDBNull(20) ? null : r.GetString(20),
        TrackingSecretHash: r.GetFieldValue<byte[]>(21),
        Version: r.GetInt32(22),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(23),
        StartBy: r.IsDBNull(24) ? null : r.GetFieldValue<DateOnly>(24),
        PlannedStart: r.IsDBNull(25) ? null : r.GetFieldValue<DateOnly>(25));

    private static async Task<ApplicantProfile?> ReadApplicantAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ApplicantProfile(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6))
            : null;
    }
}
