using NetTopologySuite.Geometries;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>
/// A generated commune-level unit: a ward (phường) or, on the fringe, a commune (xã). <see cref="Code"/> is
/// the 5-digit GSO-style code used as <see cref="ParcelKey.Unit"/>.
/// </summary>
/// <param name="Boundary">WGS 84 polygon (x = longitude), for the map's ward boundary layer.</param>
/// <param name="SourceBoundary">The same polygon in EPSG:9210, following the arterial centre lines.</param>
public sealed record SyntheticWard(
    string Code, string Name, bool IsUrban, int ParcelCount, Polygon Boundary, Polygon SourceBoundary);
