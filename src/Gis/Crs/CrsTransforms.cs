using System.Buffers;
using System.Collections.Concurrent;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace HcmCity.Gis.Crs;

/// <summary>
/// Coordinate transformations between the systems of <see cref="CrsRegistry"/>. Geographic coordinates are
/// x = longitude, y = latitude, in degrees. Map projections are ProjNET's, used only here (it is lightly maintained,
/// so it stays behind this class and the tests check it against PROJ); the VN-2000 datum shift is
/// <see cref="Vn2000Datum"/>.
/// </summary>
public static class CrsTransforms
{
    private static readonly ConcurrentDictionary<int, CoordinateSystem> Systems = new();

    /// <summary>
    /// ProjNET math transforms are mutable (<c>Invert()</c> flips them in place) and their thread safety is not
    /// documented (ProjNet4GeoAPI issue #118), so each thread builds and keeps its own per (source, target) pair.
    /// </summary>
    [ThreadStatic]
    private static Dictionary<(int Source, int Target), Pipeline>? _pipelines;

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
        var pipeline = geometry.SRID == targetSrid ? null : Get(geometry.SRID, targetSrid);
        return Rebuild(geometry, factory, pipeline);
    }

    public static (double X, double Y) Transform(double x, double y, int sourceSrid, int targetSrid)
    {
        if (sourceSrid != targetSrid)
        {
            Get(sourceSrid, targetSrid).Apply(new Span<double>(ref x), new Span<double>(ref y));
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

        if (sourceSrid != targetSrid && !xs.IsEmpty)
        {
            Get(sourceSrid, targetSrid).Apply(xs, ys);
        }
    }

    private static Pipeline Get(int sourceSrid, int targetSrid)
    {
        var pipelines = _pipelines ??= [];
        if (!pipelines.TryGetValue((sourceSrid, targetSrid), out var pipeline))
        {
            pipeline = new Pipeline(sourceSrid, targetSrid);
            pipelines[(sourceSrid, targetSrid)] = pipeline;
        }

        return pipeline;
    }

    private static CoordinateSystem System(int srid) =>
        Systems.GetOrAdd(srid, static code => new CoordinateSystemFactory().CreateFromWkt(CrsRegistry.Wkt(code)));

    /// <summary>
    /// Source projection inverse → datum shift → target projection. ProjNET sees each projection against its own
    /// geographic system, so it never applies a datum shift itself.
    /// </summary>
    private sealed class Pipeline
    {
        private readonly MathTransform? _unproject;
        private readonly MathTransform? _project;
        private readonly bool _toWgs84;
        private readonly bool _fromWgs84;

        public Pipeline(int sourceSrid, int targetSrid)
        {
            _unproject = System(sourceSrid) is ProjectedCoordinateSystem source
                ? new CoordinateTransformationFactory().CreateFromCoordinateSystems(source, source.GeographicCoordinateSystem).MathTransform
                : null;
            _project = System(targetSrid) is ProjectedCoordinateSystem target
                ? new CoordinateTransformationFactory().CreateFromCoordinateSystems(target.GeographicCoordinateSystem, target).MathTransform
                : null;
            _toWgs84 = CrsRegistry.IsOnVn2000(sourceSrid) && !CrsRegistry.IsOnVn2000(targetSrid);
            _fromWgs84 = !CrsRegistry.IsOnVn2000(sourceSrid) && CrsRegistry.IsOnVn2000(targetSrid);
        }

        public void Apply(Span<double> xs, Span<double> ys)
        {
            _unproject?.Transform(xs, ys, 1, 1);
            if (_toWgs84)
            {
                Vn2000Datum.ToWgs84(xs, ys);
            }
            else if (_fromWgs84)
            {
                Vn2000Datum.FromWgs84(xs, ys);
            }

            _project?.Transform(xs, ys, 1, 1);
        }
    }

    private static Geometry Rebuild(Geometry geometry, GeometryFactory factory, Pipeline? pipeline) => geometry switch
    {
        Point point => factory.CreatePoint(Sequence(point.CoordinateSequence, factory, pipeline)),
        LinearRing ring => Ring(ring, factory, pipeline),
        LineString line => factory.CreateLineString(Sequence(line.CoordinateSequence, factory, pipeline)),
        Polygon polygon => Polygon(polygon, factory, pipeline),
        MultiPoint multi => factory.CreateMultiPoint(Parts<Point>(multi, factory, pipeline)),
        MultiLineString multi => factory.CreateMultiLineString(Parts<LineString>(multi, factory, pipeline)),
        MultiPolygon multi => factory.CreateMultiPolygon(Parts<Polygon>(multi, factory, pipeline)),
        GeometryCollection collection => factory.CreateGeometryCollection(Parts<Geometry>(collection, factory, pipeline)),
        _ => throw new NotSupportedException($"Geometry type {geometry.GeometryType} cannot be transformed."),
    };

    private static T[] Parts<T>(GeometryCollection collection, GeometryFactory factory, Pipeline? pipeline)
        where T : Geometry
    {
        var parts = new T[collection.NumGeometries];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = (T)Rebuild(collection.GetGeometryN(i), factory, pipeline);
        }

        return parts;
    }

    private static Polygon Polygon(Polygon polygon, GeometryFactory factory, Pipeline? pipeline)
    {
        if (polygon.IsEmpty)
        {
            return factory.CreatePolygon();
        }

        var holes = new LinearRing[polygon.NumInteriorRings];
        for (var i = 0; i < holes.Length; i++)
        {
            holes[i] = Ring(polygon.GetInteriorRingN(i), factory, pipeline);
        }

        return factory.CreatePolygon(Ring(polygon.Shell, factory, pipeline), holes);
    }

    private static LinearRing Ring(LineString ring, GeometryFactory factory, Pipeline? pipeline) =>
        factory.CreateLinearRing(Sequence(ring.CoordinateSequence, factory, pipeline));

    private static CoordinateSequence Sequence(CoordinateSequence source, GeometryFactory factory, Pipeline? pipeline)
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

            if (count > 0)
            {
                pipeline?.Apply(xs.AsSpan(0, count), ys.AsSpan(0, count));
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
