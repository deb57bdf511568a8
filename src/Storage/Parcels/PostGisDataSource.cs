using Microsoft.Extensions.Logging;
using Npgsql;

namespace HcmCity.Storage.Parcels;

/// <summary>Builds the NpgsqlDataSource the parcel store and the migrator expect.</summary>
public static class PostGisDataSource
{
    /// <summary>
    /// A data source that maps PostGIS geometry to NetTopologySuite and auto-prepares the store's repeated
    /// statements (point lookups, tiles, upserts), unless the connection string sets its own preparation.
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

        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        builder.UseNetTopologySuite();
        return builder.Build();
    }
}
