using System.Collections.Concurrent;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Crs;

/// <summary>One geometry factory per SRID, shared: factories are immutable and carry the SRID into every geometry.</summary>
public static class GeometryFactories
{
    private static readonly ConcurrentDictionary<int, GeometryFactory> Factories = new();

    public static GeometryFactory For(int srid) =>
        Factories.GetOrAdd(srid, static code => NtsGeometryServices.Instance.CreateGeometryFactory(code));
}
