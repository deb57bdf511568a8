using HcmCity.Platform;
using System.Net.Sockets;
using HcmCity.LandRecords;
using HcmCity.ServiceDefaults.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HcmCity.Testing;

/// <summary>
/// A uniquely named, initially empty database on the test PostgreSQL server, dropped on dispose, so test
/// classes running in parallel never see each other's rows or migrations.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = PostGisDataSource.Create(connectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Maps geometry to NetTopologySuite, as the application's data source does.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<PostgresDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var name = $"hcm_test_{Guid.NewGuid():N}";
        await using (var admin = await OpenAdminAsync(cancellationToken))
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Database = name };
        return new PostgresDatabase(name, builder.ConnectionString);
    }

    /// <summary>
    /// A database as production has it: owned by the owner role (<see cref="TestServices.PostgresOwner"/>), with PostGIS
    /// installed by the superuser, as an operator would (the owner may upsert the VN-2000 systems migration 0001 adds).
    /// <see cref="ConnectionString"/> and <see cref="DataSource"/> are the owner's; <see cref="AppConnectionString"/> the
    /// application role's. Not migrated.
    /// </summary>
    public static async Task<PostgresDatabase> CreateOwnedAsync(CancellationToken cancellationToken)
    {
        var name = $"hcm_test_{Guid.NewGuid():N}";
        var owner = new NpgsqlConnectionStringBuilder(TestServices.PostgresOwner) { Database = name };
        await using (var admin = await OpenAdminAsync(cancellationToken))
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name} OWNER \"{owner.Username}\"", admin))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var superuser = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Database = name };
        await using (var connection = new NpgsqlConnection(superuser.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var postgis = new NpgsqlCommand(
                $"CREATE EXTENSION postgis; GRANT INSERT, UPDATE ON spatial_ref_sys TO \"{owner.Username}\"", connection);
            await postgis.ExecuteNonQueryAsync(cancellationToken);
        }
        return new PostgresDatabase(name, owner.ConnectionString)
        {
            AppConnectionString = new NpgsqlConnectionStringBuilder(TestServices.PostgresApp) { Database = name }.ConnectionString,
        };
    }

    /// <summary>For a database of <see cref="CreateOwnedAsync"/>: the application role's connection string.</summary>
    public string? AppConnectionString { get; private init; }

    public Task<int> MigrateAsync(CancellationToken cancellationToken) =>
        DatabaseMigrator.MigrateAsync(DataSource, PlatformSchema.Migrations, NullLogger.Instance, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var admin = await OpenAdminAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A connection to the test server's own database, as the superuser services.sh creates.</summary>
    public static async Task<NpgsqlConnection> OpenAdminAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(TestServices.Postgres);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            var server = new NpgsqlConnectionStringBuilder(TestServices.Postgres);
            throw TestServices.Unreachable("PostgreSQL", $"{server.Host}:{server.Port}", e);
        }
    }
}
