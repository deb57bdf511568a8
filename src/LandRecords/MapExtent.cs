using HcmCity.Gis.Parcels;
using HcmCity.LandRecords;
using NetTopologySuite.Geometries;
using Npgsql;

namespace HcmCity.LandRecords;

/// <summary>Where the loaded land records lie, in WGS 84, for the map's first view and the OGC collection extent.</summary>
public static class MapExtent
{
    /// <summary>
    /// Ho Chi Minh City since the July 2025 merger (with former Bình Dương and Bà Rịa–Vũng Tàu), used only when no
    /// parcel or ward is loaded yet, so that an empty platform still opens on the city.
    /// </summary>
    public static Envelope City { get; } = new(106.35, 107.65, 10.30, 11.50);

    /// <summary>
    /// The extent of the parcels: PostGIS' estimate from the table statistics when the store is PostGIS (a catalogue
    /// read, not a scan of millions of rows), else the envelope of the ward boundaries the parcels were laid out in,
    /// else <see cref="City"/>.
    /// </summary>
    public static async Task<Envelope> OfParcelsAsync(
        WardBoundaries wards, NpgsqlDataSource? dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wards);
        if (dataSource is not null && await EstimatedAsync(dataSource, cancellationToken) is { } estimated)
        {
            return estimated;
        }

        var all = wards.All;
        if (all.Count == 0)
        {
            return new Envelope(City);
        }

        var envelope = new Envelope();
        foreach (var ward in all)
        {
            envelope.ExpandToInclude(ward.Boundary.EnvelopeInternal);
        }

        return envelope;
    }

    /// <summary>The centre and a zoom that fits <paramref name="extent"/> into a typical 1024 × 768 map view.</summary>
    public static (double Lon, double Lat, int Zoom) View(Envelope extent)
    {
        ArgumentNullException.ThrowIfNull(extent);
        const double viewWidth = 1024, viewHeight = 768, tileSize = 256;
        var (minX, minY) = Gis.Tiles.TileMath.LonLatToWebMercator(extent.MinX, extent.MinY);
        var (maxX, maxY) = Gis.Tiles.TileMath.LonLatToWebMercator(extent.MaxX, extent.MaxY);
        var world = 2 * Gis.Tiles.TileMath.OriginShift;
        var zoomX = Math.Log2(world * viewWidth / tileSize / Math.Max(maxX - minX, 1));
        var zoomY = Math.Log2(world * viewHeight / tileSize / Math.Max(maxY - minY, 1));
        var zoom = (int)Math.Clamp(Math.Floor(Math.Min(zoomX, zoomY)), 3, 18);
        return (extent.Centre.X, extent.Centre.Y, zoom);
    }

    private static async Task<Envelope?> EstimatedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // ST_EstimatedExtent returns NULL (PostGIS 3) until the table has been analysed: then fall back.
        await using var command = dataSource.CreateCommand("""
            SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
            FROM (SELECT ST_EstimatedExtent('parcels', 'geom') AS e) extent
            WHERE e IS NOT NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3))
            : null;
    }
}
