using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>
/// What <see cref="SyntheticCity.Generate"/> lays out. The city is a square lattice of ward cells around
/// <see cref="CentreEasting"/>/<see cref="CentreNorthing"/> in VN-2000 / TM-3 105-45 (EPSG:9210), grown ring by
/// ring until it holds <see cref="ParcelCount"/> lots. Same options, same seed: same city, lot for lot.
/// </summary>
public sealed record SyntheticCityOptions
{
    /// <summary>Rings beyond this would leave HCMC (about ±30 km from the centre with 1 km wards).</summary>
    public const int MaxRings = 30;

    public int Seed { get; init; } = 1;

    /// <summary>Number of parcels; HCMC's land database holds about 2.49 million (2026).</summary>
    public int ParcelCount { get; init; } = 5_000;

    /// <summary>Easting of the city centre (Bến Thành, District 1 before 2025) in EPSG:9210, metres.</summary>
    public double CentreEasting { get; init; } = 604_500;

    /// <summary>Northing of the city centre in EPSG:9210, metres.</summary>
    public double CentreNorthing { get; init; } = 1_190_900;

    /// <summary>Side of a ward cell, metres; arterial roads run along the cell edges.</summary>
    public double WardSize { get; init; } = 1_000;

    /// <summary>
    /// Side of a cadastral map sheet (tờ bản đồ), metres. 250 m is the ground a 1:500 sheet covers in the urban
    /// wards [unconfirmed: a configurable default].
    /// </summary>
    public double SheetSize { get; init; } = 250;

    /// <summary>
    /// Rings of wards around the centre ward laid out at least, so that even a small demo city has suburban
    /// communes on its fringe; lots then cluster around each ward's centre.
    /// </summary>
    public int MinimumRings { get; init; } = 1;

    /// <summary>Rings up to this share of the outermost ring are urban wards (phường); the rest are communes (xã).</summary>
    public double UrbanShare { get; init; } = 0.7;

    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ParcelCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ParcelCount, 10_000_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(WardSize, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(WardSize, 3_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(SheetSize, 50);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SheetSize, WardSize);
        ArgumentOutOfRangeException.ThrowIfNegative(MinimumRings);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinimumRings, MaxRings);
        ArgumentOutOfRangeException.ThrowIfNegative(UrbanShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(UrbanShare, 1);
    }
}
