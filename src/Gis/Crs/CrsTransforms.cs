using System.Buffers;
using System.Collections.Concurrent;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace HcmCity.Gis.Crs;

/// <summary>
/// Coordinate transformations between the systems of <see cref="CrsRegistry"/>. The only place that touches
/// ProjNET (lightly maintained, so kept behind one class and checked against PROJ in the tests).
/// Geographic coordinates are x = longitude, y = latitude, in degrees.
/// </summary>
public static class CrsTransforms
{
    private static readonly ConcurrentDictionary<int, CoordinateSystem> Systems = new();

    /// <summary>
    /// ProjNET math transforms are mutable (<c>Invert()</c> flips them in place) and their thread safety is not
    /// documented (ProjNet4GeoAPI issue #118), so each thread builds and keeps its own per (source, target) pair.
    /// </summary>
    [ThreadStatic]
    private static Dictionary<(int Source, int Target), MathTransform>? _transforms;

    /// <summary>A new geometry in <paramref name="targetSrid"/>, built by that SRID's shared factory.</summary>
    /// <exception cref="ArgumentException">The geometry has no SRID (0).</exception>
    /// <exception cref="UnknownCrsException">Either SRID is not supported.</exception>
    public static Geometry Transform(Geometry geometry, int targetSrid)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.SRID == 0)
        {
            throw new ArgumentException("The geometry has no SRID; set the source CRS before transforming.", nameof(geometry));
        }

        var factory = GeometryFactories.For(targetSrid);
        var transform = geometry.SRID == targetSrid ? null : Get(geometry.SRID, targetSrid);
        return Rebuild(geometry, factory, transform);
    }

    public static (double X, double Y) Transform(double x, double y, int sourceSrid, int targetSrid)
    {
        if (sourceSrid != targetSrid)
        {
            Get(sourceSrid, targetSrid).Transform(ref x, ref y);
        }

        return (x, y);
    }

    /// <summary>Transforms many points in place without allocating per point, for bulk imports.</summary>
    public static void TransformInPlace(Span<double> xs, Span<double> ys, int sourceSrid, int targetSrid)
    {
        if (xs.Length != ys.Length)
        {
            throw new ArgumentException($"xs has {xs.Length} values but ys has {ys.Length}.", nameof(ys));
        }

        if (sourceSrid == targetSrid || xs.IsEmpty)
        {
            return;
        }

        Get(sourceSrid, targetSrid).Transform(xs, ys, 1, 1);
    }

    private static MathTransform Get(int sourceSrid, int targetSrid)
    {
        var transforms = _transforms ??= [];
        if (!transforms.TryGetValue((sourceSrid, targetSrid), out var transform))
        {
            var factory = new CoordinateTransformationFactory();
            transform = factory.CreateFromCoordinateSystems(System(sourceSrid), System(targetSrid)).MathTransform;
            transforms[(sourceSrid, targetSrid)] = transform;
        }

        return transform;
    }

    private static CoordinateSystem System(int srid) =>
        Systems.GetOrAdd(srid, static code => new CoordinateSystemFactory().CreateFromWkt(CrsRegistry.Wkt(code)));

    private static Geometry Rebuild(Geometry geometry, GeometryFactory factory, MathTransform? transform) => geometry switch
    {
        Point point => factory.CreatePoint(Sequence(point.CoordinateSequence, factory, transform)),
        LinearRing ring => Ring(ring, factory, transform),
        LineString line => factory.CreateLineString(Sequence(line.CoordinateSequence, factory, transform)),
        Polygon polygon => Polygon(polygon, factory, transform),
        MultiPoint multi => factory.CreateMultiPoint(Parts<Point>(multi, factory, transform)),
        MultiLineString multi => factory.CreateMultiLineString(Parts<LineString>(multi, factory, transform)),
        MultiPolygon multi => factory.CreateMultiPolygon(Parts<Polygon>(multi, factory, transform)),
        GeometryCollection collection => factory.CreateGeometryCollection(Parts<Geometry>(collection, factory, transform)),
        _ => throw new NotSupportedException($"Geometry type {geometry.GeometryType} cannot be transformed."),
    };

    private static T[] Parts<T>(GeometryCollection collection, GeometryFactory factory, MathTransform? transform)
        where T : Geometry
    {
        var parts = new T[collection.NumGeometries];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = (T)Rebuild(collection.GetGeometryN(i), factory, transform);
        }

        return parts;
    }

    private static Polygon Polygon(Polygon polygon, GeometryFactory factory, MathTransform? transform)
    {
        if (polygon.IsEmpty)
        {
            return factory.CreatePolygon();
        }

        var holes = new LinearRing[polygon.NumInteriorRings];
        for (var i = 0; i < holes.Length; i++)
        {
            holes[i] = Ring(polygon.GetInteriorRingN(i), factory, transform);
        }

        return factory.CreatePolygon(Ring(polygon.Shell, factory, transform), holes);
    }

    private static LinearRing Ring(LineString ring, GeometryFactory factory, MathTransform? transform) =>
        factory.CreateLinearRing(Sequence(ring.CoordinateSequence, factory, transform));

    private static CoordinateSequence Sequence(CoordinateSequence source, GeometryFactory factory, MathTransform? transform)
    {
        var count = source.Count;
        var target = factory.CoordinateSequenceFactory.Create(count, source.Dimension, source.Measures);
        var xs = ArrayPool<double>.Shared.Rent(count);
        var ys = ArrayPool<double>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                xs[i] = source.GetX(i);
                ys[i] = source.GetY(i);
            }

            if (transform is not null && count > 0)
            {
                transform.Transform(xs.AsSpan(0, count), ys.AsSpan(0, count), 1, 1);
            }

            for (var i = 0; i < count; i++)
            {
                target.SetX(i, xs[i]);
                target.SetY(i, ys[i]);
                for (var ordinate = 2; ordinate < source.Dimension; ordinate++)
                {
                    target.SetOrdinate(i, ordinate, source.GetOrdinate(i, ordinate));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xs);
            ArrayPool<double>.Shared.Return(ys);
        }

        return target;
    }
}
