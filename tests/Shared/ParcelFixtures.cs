using System.Globalization;
using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using NetTopologySuite.Geometries;

namespace HcmCity.Tests.Shared;

/// <summary>
/// Parcels for store tests, each fixture in its own unit and its own patch of ground, so tests can share one
/// database (and data left by earlier runs) without seeing each other. Patches are laid at random off the
/// southern coast (EPSG:9210 E 300-700 km, N 700-1,000 km, mostly sea), far from the generated city.
/// </summary>
public sealed class ParcelFixtures
{
    public ParcelFixtures()
    {
        Unit = "t" + Guid.NewGuid().ToString("N")[..9];
        Easting = Math.Round(Random.Shared.NextDouble() * 400_000 + 300_000);
        Northing = Math.Round(Random.Shared.NextDouble() * 300_000 + 700_000);
    }

    /// <summary>A unit code no other fixture uses.</summary>
    public string Unit { get; }

    /// <summary>South-west corner of this fixture's patch, EPSG:9210.</summary>
    public double Easting { get; }

    public double Northing { get; }

    public static IReadOnlyDictionary<string, string> Personal { get; } = new Dictionary<string, string>
    {
        ["ownerName"] = "Nguyễn Văn Riêng Tư",
        ["ownerId"] = "079912345678",
        ["address"] = "12 Hẻm Bí Mật, Phường Bến Thành",
    };

    /// <summary>
    /// A rectangular lot, <paramref name="width"/> × <paramref name="depth"/> m, whose south-west corner is
    /// (<paramref name="east"/>, <paramref name="north"/>) metres from the patch corner.
    /// </summary>
    public Parcel Lot(
        string sheet, int number, double east, double north, double width = 5, double depth = 20, string landUse = "ODT")
    {
        var x = Easting + east;
        var y = Northing + north;
        var shell = new[]
        {
            new Coordinate(x, y), new Coordinate(x + width, y), new Coordinate(x + width, y + depth),
            new Coordinate(x, y + depth), new Coordinate(x, y),
        };
        return Create(sheet, number, GeometryFactories.For(Srid.HcmcTm3).CreatePolygon(shell), landUse);
    }

    /// <summary>A 30 × 30 m lot around a 10 × 10 m hole (another parcel's island), from (east, north).</summary>
    public Parcel LotWithHole(string sheet, int number, double east, double north)
    {
        var factory = GeometryFactories.For(Srid.HcmcTm3);
        var x = Easting + east;
        var y = Northing + north;
        var shell = factory.CreateLinearRing(
        [
            new Coordinate(x, y), new Coordinate(x + 30, y), new Coordinate(x + 30, y + 30),
            new Coordinate(x, y + 30), new Coordinate(x, y),
        ]);
        var hole = factory.CreateLinearRing(
        [
            new Coordinate(x + 10, y + 10), new Coordinate(x + 10, y + 20), new Coordinate(x + 20, y + 20),
            new Coordinate(x + 20, y + 10), new Coordinate(x + 10, y + 10),
        ]);
        return Create(sheet, number, factory.CreatePolygon(shell, [hole]), "ODT");
    }

    /// <summary>WGS 84 (lon, lat) of a point (east, north) metres from the patch corner.</summary>
    public (double Lon, double Lat) LonLat(double east, double north) =>
        CrsTransforms.Transform(Easting + east, Northing + north, Srid.HcmcTm3, Srid.Wgs84);

    /// <summary>WGS 84 envelope of the rectangle (east0, north0)-(east1, north1) of the patch.</summary>
    public Envelope Bbox(double east0, double north0, double east1, double north1)
    {
        var (lon0, lat0) = LonLat(east0, north0);
        var (lon1, lat1) = LonLat(east1, north1);
        return new Envelope(lon0, lon1, lat0, lat1);
    }

    private Parcel Create(string sheet, int number, Polygon source, string landUse) => new()
    {
        Key = new ParcelKey(Unit, sheet, number.ToString(CultureInfo.InvariantCulture)),
        LandUse = landUse,
        RegisteredArea = Math.Round(source.Area, 1),
        Area = source.Area,
        SourceSrid = Srid.HcmcTm3,
        SourceGeometry = source,
        Geometry = CrsTransforms.Transform(source, Srid.Wgs84),
        Personal = Personal,
    };
}
