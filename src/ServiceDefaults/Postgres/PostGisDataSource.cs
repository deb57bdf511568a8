using Microsoft.Extensions.Logging;
using Npgsql;

namespace HcmCity.ServiceDefaults.Postgres;

/// <summary>Builds the NpgsqlDataSource the parcel store and the migrator expect.</summary>
public static class PostGisDataSource
{
    /// <summary>
    /// A data source that maps PostGIS geometry to NetTopologySuite and auto-prepares the store's repeated
    /// statements (point lookups, tiles, upserts), unless the connection string sets its own preparation.
    /// Pooled connections are not reset when returned (<c>No Reset On Close</c>): the reset is seven statements
    /// (RESET ALL, CLOSE ALL, UNLISTEN *, DISCARD TEMP...) sent ahead of the next command, for each request a
    /// tenth of PostgreSQL's CPU on a point lookup. Nothing here leaves session state behind: settings are
    /// <c>SET LOCAL</c>, temporary tables <c>ON COMMIT DROP</c>, the migrator's advisory lock is released in a
    /// finally, and Npgsql still rolls back a transaction left open. Keep it so.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        builder.ConnectionStringBuilder.NoResetOnClose = true;
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        builder.UseNetTopologySuite();
        return builder.Build();
    }
}
