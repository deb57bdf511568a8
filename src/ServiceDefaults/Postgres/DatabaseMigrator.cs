using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HcmCity.ServiceDefaults.Postgres;

/// <summary>
/// Applies versioned SQL files (<c>Migrations/NNNN_name.sql</c>, embedded in the capability that owns the tables),
/// in version order across capabilities, each in its own transaction, recording them in <c>schema_migrations</c>.
/// Safe to run from several processes at once, and from processes that know only some capabilities: a process
/// applies and checks the migrations it carries and leaves the others' rows alone.
/// </summary>
public static partial class DatabaseMigrator
{
    /// <summary>Key of the session advisory lock that serialises migrators (any constant unique to this schema).</summary>
    private const long AdvisoryLockKey = 0x48434D_4D494752; // "HCM" "MIGR"

    /// <summary>The migrations every schema starts with (the PostGIS extension), embedded in this assembly.</summary>
    public static Assembly Base => typeof(DatabaseMigrator).Assembly;

    /// <summary>The migrations embedded in these assemblies, ordered by version; versions are unique across them.</summary>
    public static IReadOnlyList<Migration> Embedded(IEnumerable<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var migrations = assemblies.Distinct().SelectMany(LoadEmbedded).ToList();
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two embedded migrations have version {duplicate.Key:D4}.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    /// <summary>Applies the pending migrations of <paramref name="migrations"/> and returns how many were applied.</summary>
    /// <exception cref="InvalidOperationException">An applied migration's file has changed since.</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource ds, IReadOnlyList<Migration> migrations, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(logger);

        var applied = 0;
        await using (var connection = await ds.OpenConnectionAsync(ct))
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
            try
            {
                await ExecuteAsync(connection, """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now(),
                        checksum text NOT NULL)
                    """, ct);

                var done = await ReadAppliedAsync(connection, ct);
                foreach (var migration in migrations)
                {
                    if (done.TryGetValue(migration.Version, out var checksum))
                    {
                        if (checksum != migration.Checksum)
                        {
                            throw new InvalidOperationException(
                                $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied " +
                                $"(checksum {checksum} in schema_migrations, {migration.Checksum} now). " +
                                "Applied migrations are immutable: add a new migration instead.");
                        }

                        continue;
                    }

                    await ApplyAsync(connection, migration, ct);
                    logger.LogInformation("Applied migration {Version:D4}_{Name}", migration.Version, migration.Name);
                    applied++;
                }
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }

        if (applied > 0)
        {
            // Types created by a migration (PostGIS geometry) are unknown to connections whose type cache
            // was loaded before it ran.
            await ds.ReloadTypesAsync(ct);
        }

        return applied;
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand(migration.Sql, connection, tx))
        {
            await command.ExecuteNonQueryAsync(ct);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, tx))
        {
            record.Parameters.Add(new() { Value = migration.Version });
            record.Parameters.Add(new() { Value = migration.Name });
            record.Parameters.Add(new() { Value = migration.Checksum });
            await record.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static List<Migration> LoadEmbedded(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var marker = resource.IndexOf(".Migrations.", StringComparison.Ordinal);
            if (marker < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[(marker + ".Migrations.".Length)..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Embedded migration '{fileName}' is not named NNNN_name.sql.");
            }

            migrations.Add(Migration.Create(
                int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                ReadResource(assembly, resource)));
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} not found.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
