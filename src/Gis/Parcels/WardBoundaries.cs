using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Parcels;

/// <summary>An administrative unit (phường / xã) boundary in WGS 84.</summary>
public sealed record Ward(string Code, string Name, Geometry Boundary);

/// <summary>
/// The ward and commune boundaries the map draws under the parcels. Embedded mode fills it with the synthetic
/// city's wards; it is replaced as a whole, so readers always see one consistent set.
/// </summary>
public sealed class WardBoundaries
{
    private IReadOnlyList<Ward> _wards = [];

    public IReadOnlyList<Ward> All => Volatile.Read(ref _wards);

    public void Replace(IEnumerable<Ward> wards) => Volatile.Write(ref _wards, [.. wards]);
}
