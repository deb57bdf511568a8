using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <summary>Planar area as the land record measures it: in the VN-2000 TM-3 projection, in m².</summary>
public static class ParcelArea
{
    /// <summary>
    /// Area in m² of a geometry whose SRID is set. TM-3 sources are measured as they are; anything else (degrees,
    /// Web Mercator) is first projected to the TM-3 zone with the nearest central meridian, where the scale error
    /// stays below 0.03 % across mainland Vietnam.
    /// </summary>
    public static double SquareMetres(Geometry geometry)
    {
        if (CrsRegistry.IsTm3(geometry.SRID))
        {
            return geometry.Area;
        }

        var centre = geometry.EnvelopeInternal.Centre;
        var (lon, _) = CrsTransforms.Transform(centre.X, centre.Y, geometry.SRID, Srid.Wgs84);
        return CrsTransforms.Transform(geometry, CrsRegistry.NearestTm3Zone(lon)).Area;
    }
}
