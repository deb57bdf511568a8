using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO.VectorTiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using NetTopologySuite.Simplify;
using NtsTile = NetTopologySuite.IO.VectorTiles.Tiles.Tile;

namespace HcmCity.Gis.Tiles;

/// <summary>
/// Builds one Mapbox Vector Tile (spec 2.1) from WGS 84 features: clips to the tile plus a buffer, simplifies at
/// low zooms, drops features too small to see, and encodes with NetTopologySuite.IO.VectorTiles.Mapbox.
/// </summary>
public static class VectorTileBuilder
{
    /// <summary>Name of the attribute the encoder reads the feature id from.</summary>
    public const string IdAttribute = "id";

    /// <summary>
    /// WGS 84 envelope to query for tile z/x/y: the tile grown by the buffer of <paramref name="options"/>.
    /// Computed in Web Mercator, where the buffer is a fixed number of pixels on every side.
    /// </summary>
    public static Envelope QueryEnvelope(int z, int x, int y, VectorTileOptions? options = null)
    {
        options ??= VectorTileOptions.Default;
        var bounds = TileMath.WebMercatorBounds(z, x, y);
        var margin = bounds.Width * options.Buffer / options.Extent;
        var (minLon, minLat) = TileMath.WebMercatorToLonLat(
            Math.Max(bounds.MinX - margin, -TileMath.OriginShift), Math.Max(bounds.MinY - margin, -TileMath.OriginShift));
        var (maxLon, maxLat) = TileMath.WebMercatorToLonLat(
            Math.Min(bounds.MaxX + margin, TileMath.OriginShift), Math.Min(bounds.MaxY + margin, TileMath.OriginShift));
        return new Envelope(minLon, maxLon, minLat, maxLat);
    }

    /// <summary>
    /// The encoded tile with one layer named <paramref name="layerName"/>, or an empty array when no feature
    /// is left after clipping and size filtering (web maps treat an empty body as an empty tile).
    /// </summary>
    public static byte[] Build(
        int z, int x, int y, string layerName, IEnumerable<TileFeature> features, VectorTileOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(layerName);
        ArgumentNullException.ThrowIfNull(features);
        options ??= VectorTileOptions.Default;

        var clip = QueryEnvelope(z, x, y, options);
        var clipGeometry = new GeometryFactory().ToGeometry(clip);
        var metresPerPixel = TileMath.TileSizeMetres(z) / 256;
        var degreesPerPixel = 360.0 / (1 << z) / 256;
        var simplifyTolerance = z < options.SimplifyBelowZoom ? options.SimplifyTolerancePixels * degreesPerPixel : 0;

        var layer = new Layer { Name = layerName };
        foreach (var feature in features)
        {
            var geometry = Prepare(feature.Geometry, clip, clipGeometry, simplifyTolerance);
            if (geometry is null
                || (geometry.Dimension != Dimension.Point
                    && !IsVisible(geometry.EnvelopeInternal, metresPerPixel, options.MinFeatureSizePixels)))
            {
                continue;
            }

            var attributes = new AttributesTable { { IdAttribute, feature.Id } };
            foreach (var (key, value) in feature.Attributes)
            {
                attributes.Add(key, value);
            }

            layer.Features.Add(new Feature(geometry, attributes));
        }

        if (layer.Features.Count == 0)
        {
            return [];
        }

        var tile = new VectorTile { TileId = new NtsTile(x, y, z).Id };
        tile.Layers.Add(layer);
        using var stream = new MemoryStream();
        tile.Write(
            stream,
            MapboxTileWriter.DefaultMinLinealExtent,
            MapboxTileWriter.DefaultMinPolygonalExtent,
            options.Extent,
            IdAttribute);
        return stream.ToArray();
    }

    private static Geometry? Prepare(Geometry geometry, Envelope clip, Geometry clipGeometry, double simplifyTolerance)
    {
        if (geometry.IsEmpty || !clip.Intersects(geometry.EnvelopeInternal))
        {
            return null;
        }

        if (!clip.Contains(geometry.EnvelopeInternal))
        {
            var clipped = OnlyDimension(geometry.Intersection(clipGeometry), geometry.Dimension);
            if (clipped is null)
            {
                return null;
            }

            geometry = clipped;
        }

        if (simplifyTolerance > 0)
        {
            geometry = DouglasPeuckerSimplifier.Simplify(geometry, simplifyTolerance);
        }

        return geometry.IsEmpty ? null : geometry;
    }

    /// <summary>
    /// Clipping a polygon that touches the clip edge can add lines or points; an MVT feature has one type, so only
    /// the parts of the original dimension are kept.
    /// </summary>
    private static Geometry? OnlyDimension(Geometry clipped, Dimension dimension)
    {
        if (clipped.IsEmpty)
        {
            return null;
        }

        if (clipped is not GeometryCollection || clipped is MultiPolygon or MultiLineString or MultiPoint)
        {
            return clipped.Dimension == dimension ? clipped : null;
        }

        var parts = new List<Geometry>();
        for (var i = 0; i < clipped.NumGeometries; i++)
        {
            var part = clipped.GetGeometryN(i);
            if (!part.IsEmpty && part.Dimension == dimension)
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? null : GeometryCombiner.Combine(parts);
    }

    private static bool IsVisible(Envelope envelope, double metresPerPixel, double minPixels)
    {
        var (minX, minY) = TileMath.LonLatToWebMercator(envelope.MinX, envelope.MinY);
        var (maxX, maxY) = TileMath.LonLatToWebMercator(envelope.MaxX, envelope.MaxY);
        return Math.Max(maxX - minX, maxY - minY) >= minPixels * metresPerPixel;
    }
}
