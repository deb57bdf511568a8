using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Tiles;

/// <summary>
/// One feature to encode: its id (becomes the MVT feature id and the "id" attribute), its geometry in WGS 84
/// (x = longitude, y = latitude) and its other attributes (string, bool or number values).
/// </summary>
public sealed record TileFeature(long Id, Geometry Geometry, IReadOnlyList<KeyValuePair<string, object>> Attributes);
