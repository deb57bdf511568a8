namespace HcmCity.Testing;

/// <summary>A migrated database of its own for one test class (xunit class fixture).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresDatabase? _database;

    public PostgresDatabase Database =>
        _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync(CancellationToken.None);
        await _database.MigrateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
