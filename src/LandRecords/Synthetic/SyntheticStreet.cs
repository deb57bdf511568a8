using NetTopologySuite.Geometries;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>A street segment: centre line and its planned width (lộ giới), in metres.</summary>
/// <param name="CentreLine">EPSG:9210 centre line.</param>
/// <param name="Geometry">The same line in WGS 84.</param>
public sealed record SyntheticStreet(string Name, double Width, LineString CentreLine, LineString Geometry);
