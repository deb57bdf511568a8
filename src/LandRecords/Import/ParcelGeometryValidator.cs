using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Import;

/// <summary>
/// Decides whether a feature's geometry can be a parcel: polygonal, non-empty, finite, inside the plausible range
/// of its CRS, and valid, or repairable without materially changing the parcel.
/// </summary>
public static class ParcelGeometryValidator
{
    /// <summary>A repair may change the area by less than this fraction, else it changed the parcel, not a digitising slip.</summary>
    public const double MaxRepairAreaChange = 0.01;

    /// <summary>The geometry to keep (the input, or its repair), or why there is none.</summary>
    public static GeometryCheck Check(Geometry? geometry, int srid)
    {
        if (geometry is null || geometry.IsEmpty)
        {
            return GeometryCheck.Reject(RejectionReason.EmptyGeometry, "The feature has no geometry.");
        }

        if (geometry is not (Polygon or MultiPolygon))
        {
            return GeometryCheck.Reject(RejectionReason.NotPolygonal, $"A {geometry.GeometryType} is not a parcel; parcels are Polygon or MultiPolygon.");
        }

        if (!AllFinite(geometry))
        {
            return GeometryCheck.Reject(RejectionReason.NonFiniteCoordinates, "The geometry has NaN or infinite coordinates.");
        }

        var extent = CrsRegistry.PlausibleExtent(srid);
        if (!extent.Contains(geometry.EnvelopeInternal))
        {
            return GeometryCheck.Reject(
                RejectionReason.OutOfRange,
                $"Coordinates {geometry.EnvelopeInternal} lie outside the plausible range of EPSG:{srid} "
                + $"({CrsRegistry.Name(srid)}) {extent}; is the CRS right?");
        }

        if (geometry.IsValid)
        {
            return GeometryCheck.Keep(geometry, repaired: false);
        }

        var fixedGeometry = GeometryFixer.Fix(geometry);
        if (fixedGeometry is not (Polygon or MultiPolygon) || fixedGeometry.IsEmpty || !fixedGeometry.IsValid)
        {
            return GeometryCheck.Reject(RejectionReason.Unrepairable, $"Invalid geometry; the repair gives a {fixedGeometry.GeometryType}, not a parcel.");
        }

        var before = geometry.Area;
        var after = fixedGeometry.Area;
        if (!(before > 0) || Math.Abs(after - before) >= MaxRepairAreaChange * before)
        {
            return GeometryCheck.Reject(
                RejectionReason.Unrepairable,
                $"Invalid geometry; the repair would change its area from {before:0.##} to {after:0.##} (limit {MaxRepairAreaChange:P0}).");
        }

        return GeometryCheck.Keep(fixedGeometry, repaired: true);
    }

    private static bool AllFinite(Geometry geometry)
    {
        var filter = new FiniteFilter();
        geometry.Apply(filter);
        return filter.AllFinite;
    }

    private sealed class FiniteFilter : IEntireCoordinateSequenceFilter
    {
        public bool AllFinite { get; private set; } = true;

        public bool Done => !AllFinite;

        public bool GeometryChanged => false;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count && AllFinite; i++)
            {
                AllFinite = double.IsFinite(seq.GetX(i)) && double.IsFinite(seq.GetY(i));
            }
        }
    }
}

/// <summary>Outcome of <see cref="ParcelGeometryValidator.Check"/>.</summary>
public readonly record struct GeometryCheck(Geometry? Geometry, bool Repaired, RejectionReason? Reason, string? Message)
{
    public static GeometryCheck Keep(Geometry geometry, bool repaired) => new(geometry, repaired, null, null);

    public static GeometryCheck Reject(RejectionReason reason, string message) => new(null, false, reason, message);
}
