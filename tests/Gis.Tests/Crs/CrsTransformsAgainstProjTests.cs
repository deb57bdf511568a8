using HcmCity.Gis.Crs;

namespace HcmCity.Gis.Tests.Crs;

/// <summary>
/// ProjNET through <see cref="CrsTransforms"/> must agree with PROJ's cs2cs, given the same EPSG:6960 parameters,
/// to 1 cm everywhere a zone is used, in both directions.
/// </summary>
public sealed class CrsTransformsAgainstProjTests
{
    private const double Centimetre = 0.01;

    public static TheoryData<int, double, double, double, double, double> Zones => new()
    {
        // srid, central meridian (EPSG), area used: west, south, east, north (degrees)
        { Srid.HcmcTm3, 105.75, 106.35, 10.35, 107.05, 11.20 },
        { Srid.BrvtTm3, 107.75, 106.55, 8.60, 107.60, 10.80 },
        { Srid.HanoiTm3, 105.0, 105.30, 20.55, 106.05, 21.40 },
    };

    [Theory]
    [MemberData(nameof(Zones))]
    public void Tm3_to_wgs84_agrees_with_proj_within_a_centimetre(int srid, double centralMeridian, double west, double south, double east, double north)
    {
        var projected = Proj.Cs2cs(Proj.Wgs84, Proj.Tm3(centralMeridian), Grid(west, south, east, north));

        var expected = Proj.Cs2cs(Proj.Tm3(centralMeridian), Proj.Wgs84, projected);

        for (var i = 0; i < projected.Count; i++)
        {
            var actual = CrsTransforms.Transform(projected[i].X, projected[i].Y, srid, Srid.Wgs84);
            AssertWithinMetres(expected[i], actual, Centimetre, geographic: true, $"EPSG:{srid} {projected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Wgs84_to_tm3_agrees_with_proj_within_a_centimetre(int srid, double centralMeridian, double west, double south, double east, double north)
    {
        var grid = Grid(west, south, east, north);

        var expected = Proj.Cs2cs(Proj.Wgs84, Proj.Tm3(centralMeridian), grid);

        for (var i = 0; i < grid.Count; i++)
        {
            var actual = CrsTransforms.Transform(grid[i].X, grid[i].Y, Srid.Wgs84, srid);
            AssertWithinMetres(expected[i], actual, Centimetre, geographic: false, $"EPSG:{srid} {grid[i]}");
        }
    }

    [Fact]
    public void Vn2000_geographic_agrees_with_proj_both_ways()
    {
        var grid = Grid(106.35, 10.35, 107.60, 11.20);

        var toWgs84 = Proj.Cs2cs(Proj.Vn2000, Proj.Wgs84, grid);
        var toVn2000 = Proj.Cs2cs(Proj.Wgs84, Proj.Vn2000, grid);

        for (var i = 0; i < grid.Count; i++)
        {
            AssertWithinMetres(toWgs84[i], CrsTransforms.Transform(grid[i].X, grid[i].Y, Srid.Vn2000, Srid.Wgs84), Centimetre, true, $"{grid[i]}");
            AssertWithinMetres(toVn2000[i], CrsTransforms.Transform(grid[i].X, grid[i].Y, Srid.Wgs84, Srid.Vn2000), Centimetre, true, $"{grid[i]}");
        }
    }

    [Fact]
    public void Web_mercator_agrees_with_proj_both_ways()
    {
        const string webMercator = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs";
        var grid = Grid(102.0, 8.5, 109.5, 23.4);

        var projected = Proj.Cs2cs(Proj.Wgs84, webMercator, grid);
        var back = Proj.Cs2cs(webMercator, Proj.Wgs84, projected);

        for (var i = 0; i < grid.Count; i++)
        {
            AssertWithinMetres(projected[i], CrsTransforms.Transform(grid[i].X, grid[i].Y, Srid.Wgs84, Srid.WebMercator), Centimetre, false, $"{grid[i]}");
            AssertWithinMetres(back[i], CrsTransforms.Transform(projected[i].X, projected[i].Y, Srid.WebMercator, Srid.Wgs84), Centimetre, true, $"{projected[i]}");
        }
    }

    [Fact]
    public void Every_tm3_zone_matches_the_epsg_definition_in_proj()
    {
        var zones = CrsRegistry.Supported.Where(srid => srid is (>= 5896 and <= 5899) or (>= 9205 and <= 9218)).ToList();
        Assert.Equal(18, zones.Count);

        foreach (var srid in zones)
        {
            var definition = Proj.Definition(srid);
            Assert.Contains(Proj.Vn2000ToWgs84, definition, StringComparison.Ordinal);
            var centre = CrsTransforms.Transform(500_000, 1_200_000, srid, Srid.Wgs84);
            var points = new[] { (500_000.0, 1_200_000.0), (430_000.0, 2_300_000.0), (570_000.0, 1_800_000.0) };

            var expected = Proj.Cs2cs(definition, Proj.Wgs84, points);

            for (var i = 0; i < points.Length; i++)
            {
                var actual = CrsTransforms.Transform(points[i].Item1, points[i].Item2, srid, Srid.Wgs84);
                AssertWithinMetres(expected[i], actual, Centimetre, true, $"EPSG:{srid} {points[i]} (projinfo: {definition})");
            }

            Assert.Equal(srid, CrsRegistry.ParseSrid($"EPSG:{srid}"));
            Assert.InRange(centre.X, 101.9, 108.6);
        }
    }

    /// <summary>An 11 × 11 grid of longitude/latitude points over the box.</summary>
    private static List<(double X, double Y)> Grid(double west, double south, double east, double north)
    {
        const int steps = 10;
        var points = new List<(double X, double Y)>();
        for (var i = 0; i <= steps; i++)
        {
            for (var j = 0; j <= steps; j++)
            {
                points.Add((west + ((east - west) * i / steps), south + ((north - south) * j / steps)));
            }
        }

        return points;
    }

    internal static void AssertWithinMetres((double X, double Y) expected, (double X, double Y) actual, double metres, bool geographic, string where)
    {
        var distance = Distance(expected, actual, geographic);
        Assert.True(distance <= metres, $"{where}: expected {expected}, got {actual}, {distance:F4} m apart (limit {metres} m).");
    }

    internal static double Distance((double X, double Y) a, (double X, double Y) b, bool geographic)
    {
        if (!geographic)
        {
            return Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2));
        }

        // Metres per degree on the WGS 84 ellipsoid, accurate to well under 1 % at these latitudes.
        var latitude = a.Y * Math.PI / 180;
        var east = (a.X - b.X) * 111_320 * Math.Cos(latitude);
        var north = (a.Y - b.Y) * 110_574;
        return Math.Sqrt((east * east) + (north * north));
    }
}
