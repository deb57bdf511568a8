using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Tests.Crs;

public sealed class CrsTransformsTests
{
    private static double Dms(int degrees, int minutes, double seconds) => degrees + (minutes / 60.0) + (seconds / 3600.0);

    /// <summary>
    /// VMS-South notice HCM-29-2018: (VN-2000 lat, lon), (published WGS 84 lat, lon), EPSG:9210 easting, northing.
    /// The published WGS 84 values were made with EPSG:5194, ~0.7 m from the EPSG:6960 we use, hence 1 m.
    /// </summary>
    public static TheoryData<double, double, double, double, double, double> ReferencePoints => new()
    {
        { Dms(10, 46, 10.08), Dms(106, 42, 20.40), Dms(10, 46, 06.42), Dms(106, 42, 26.85), 604516.878, 1191009.621 },
        { Dms(10, 46, 05.98), Dms(106, 42, 22.37), Dms(10, 46, 02.32), Dms(106, 42, 28.83), 604577.124, 1190883.828 },
    };

    [Theory]
    [MemberData(nameof(ReferencePoints))]
    public void Published_hcmc_reference_points_are_reproduced_within_a_metre(
        double vnLat, double vnLon, double wgsLat, double wgsLon, double easting, double northing)
    {
        var wgs84 = CrsTransforms.Transform(easting, northing, Srid.HcmcTm3, Srid.Wgs84);
        var vn2000 = CrsTransforms.Transform(easting, northing, Srid.HcmcTm3, Srid.Vn2000);
        var projected = CrsTransforms.Transform(wgsLon, wgsLat, Srid.Wgs84, Srid.HcmcTm3);

        CrsTransformsAgainstProjTests.AssertWithinMetres((wgsLon, wgsLat), wgs84, 1.0, true, "TM-3 → WGS 84");
        CrsTransformsAgainstProjTests.AssertWithinMetres((vnLon, vnLat), vn2000, 1.0, true, "TM-3 → VN-2000");
        CrsTransformsAgainstProjTests.AssertWithinMetres((easting, northing), projected, 1.0, false, "WGS 84 → TM-3");
    }

    [Fact]
    public void Datum_shift_moves_hcmc_points_about_200_metres()
    {
        // VN-2000 and WGS 84 coordinates of the same point differ by ~200 m: a missing shift would pass the projection checks.
        var vn2000 = CrsTransforms.Transform(604516.878, 1191009.621, Srid.HcmcTm3, Srid.Vn2000);
        var wgs84 = CrsTransforms.Transform(604516.878, 1191009.621, Srid.HcmcTm3, Srid.Wgs84);

        Assert.InRange(CrsTransformsAgainstProjTests.Distance(vn2000, wgs84, true), 150, 250);
    }

    [Theory]
    [InlineData(Srid.HcmcTm3, 604516.878, 1191009.621)]
    [InlineData(Srid.HcmcTm3, 690000.0, 1160000.0)]
    [InlineData(Srid.BrvtTm3, 420000.0, 1150000.0)]
    [InlineData(Srid.HanoiTm3, 585000.0, 2330000.0)]
    public void Tm3_to_wgs84_and_back_returns_within_a_millimetre(int srid, double easting, double northing)
    {
        var (lon, lat) = CrsTransforms.Transform(easting, northing, srid, Srid.Wgs84);

        var back = CrsTransforms.Transform(lon, lat, Srid.Wgs84, srid);

        CrsTransformsAgainstProjTests.AssertWithinMetres((easting, northing), back, 0.001, false, $"EPSG:{srid}");
    }

    [Fact]
    public void Bulk_transform_in_place_equals_point_by_point()
    {
        var xs = Enumerable.Range(0, 1000).Select(i => 600_000 + (i * 37.5)).ToArray();
        var ys = Enumerable.Range(0, 1000).Select(i => 1_180_000 + (i * 21.25)).ToArray();
        var expected = xs.Zip(ys, (x, y) => CrsTransforms.Transform(x, y, Srid.HcmcTm3, Srid.Wgs84)).ToArray();

        CrsTransforms.TransformInPlace(xs, ys, Srid.HcmcTm3, Srid.Wgs84);

        for (var i = 0; i < xs.Length; i++)
        {
            Assert.Equal(expected[i].X, xs[i], 12);
            Assert.Equal(expected[i].Y, ys[i], 12);
        }
    }

    [Fact]
    public void Bulk_transform_rejects_spans_of_different_lengths()
    {
        var xs = new double[3];
        var ys = new double[2];

        Assert.Throws<ArgumentException>(() => CrsTransforms.TransformInPlace(xs, ys, Srid.HcmcTm3, Srid.Wgs84));
    }

    [Fact]
    public void Concurrent_transforms_give_the_same_results_as_sequential_ones()
    {
        var points = Enumerable.Range(0, 20_000).Select(i => (X: 560_000 + (i % 200 * 500.0), Y: 1_150_000 + (i / 200 * 700.0))).ToArray();
        var sequential = points.Select(p => CrsTransforms.Transform(p.X, p.Y, Srid.HcmcTm3, Srid.Wgs84)).ToArray();
        var concurrent = new (double X, double Y)[points.Length];

        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            concurrent[i] = CrsTransforms.Transform(points[i].X, points[i].Y, Srid.HcmcTm3, Srid.Wgs84));

        Assert.Equal(sequential, concurrent);
    }

    [Fact]
    public void Geometry_transform_keeps_structure_and_sets_the_target_srid()
    {
        var source = GeometryFactories.For(Srid.HcmcTm3);
        var shell = source.CreateLinearRing([new(600_000, 1_190_000), new(600_100, 1_190_000), new(600_100, 1_190_100), new(600_000, 1_190_100), new(600_000, 1_190_000)]);
        var hole = source.CreateLinearRing([new(600_040, 1_190_040), new(600_060, 1_190_040), new(600_060, 1_190_060), new(600_040, 1_190_040)]);
        var polygon = source.CreatePolygon(shell, [hole]);

        var wgs84 = CrsTransforms.Transform(polygon, Srid.Wgs84);

        var result = Assert.IsType<Polygon>(wgs84);
        Assert.Equal(Srid.Wgs84, result.SRID);
        Assert.Same(GeometryFactories.For(Srid.Wgs84), result.Factory);
        Assert.Equal(1, result.NumInteriorRings);
        Assert.Equal(5, result.Shell.NumPoints);
        var corner = CrsTransforms.Transform(600_100, 1_190_100, Srid.HcmcTm3, Srid.Wgs84);
        Assert.Equal(corner.X, result.Shell.GetCoordinateN(2).X, 12);
        Assert.Equal(corner.Y, result.Shell.GetCoordinateN(2).Y, 12);
        Assert.Equal(Srid.HcmcTm3, polygon.SRID);
        Assert.Equal(600_100, polygon.Shell.GetCoordinateN(2).X);
    }

    [Fact]
    public void Geometry_transform_there_and_back_preserves_area_to_a_square_millimetre()
    {
        var source = GeometryFactories.For(Srid.BrvtTm3);
        var square = source.CreatePolygon([new(420_000, 1_150_000), new(420_030, 1_150_000), new(420_030, 1_150_020), new(420_000, 1_150_020), new(420_000, 1_150_000)]);
        var multi = source.CreateMultiPolygon([square]);

        var back = CrsTransforms.Transform(CrsTransforms.Transform(multi, Srid.Wgs84), Srid.BrvtTm3);

        Assert.IsType<MultiPolygon>(back);
        Assert.Equal(Srid.BrvtTm3, back.SRID);
        Assert.Equal(600, back.Area, 3);
    }

    [Fact]
    public void Geometry_without_srid_cannot_be_transformed()
    {
        var point = new GeometryFactory().CreatePoint(new Coordinate(600_000, 1_190_000));

        var error = Assert.Throws<ArgumentException>(() => CrsTransforms.Transform(point, Srid.Wgs84));

        Assert.Contains("SRID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_to_an_unsupported_srid_names_it()
    {
        var error = Assert.Throws<UnknownCrsException>(() => CrsTransforms.Transform(600_000, 1_190_000, Srid.HcmcTm3, 2154));

        Assert.Contains("2154", error.Message, StringComparison.Ordinal);
    }
}
