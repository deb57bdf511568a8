using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Import;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Tests.Import;

public sealed class ShapefileImportTests : IDisposable
{
    /// <summary>How ArcGIS writes the .prj of a VN-2000 TM-3 105-00 layer: ESRI names, no EPSG authority.</summary>
    private const string EsriHanoiPrj =
        """PROJCS["VN_2000_TM_3_105_00",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private readonly Fixtures _files = new();

    public void Dispose() => _files.Dispose();

    private static Dictionary<string, object?> Record(int sheet, int number, string landUse = "ODT", double area = 0, string owner = "") =>
        new() { ["XAID"] = "9922", ["SHBANDO"] = sheet, ["SHTHUA"] = number, ["DIENTICH"] = area, ["KHLOAIDAT"] = landUse, ["CHUSDUNG"] = owner };

    [Fact]
    public async Task Shapefile_crs_comes_from_an_esri_prj_and_fields_map_to_the_parcel()
    {
        var path = _files.Shapefile("hanoi.shp", EsriHanoiPrj, [
            (Fixtures.TmRectangle(Srid.HanoiTm3, 585000, 2330000, 25, 40), Record(3, 117, "ont+cln", 1000.4, "Trần Thị B")),
        ]);

        var results = await GeoJsonImportTests.ReadAll(path, new ParcelImportOptions(KeepPersonal: true));

        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(results)).Parcel;
        Assert.Equal(Srid.HanoiTm3, ParcelFileReader.FileSrid(path));
        Assert.Equal(new ParcelKey("9922", "3", "117"), parcel.Key);
        Assert.Equal("ONT+CLN", parcel.LandUse);
        Assert.Equal(1000.4, parcel.RegisteredArea!.Value, 6);
        Assert.Equal(1000, parcel.Area, 6);
        Assert.Equal(Srid.HanoiTm3, parcel.SourceGeometry.SRID);
        Assert.Equal(Srid.Wgs84, parcel.Geometry.SRID);
        Assert.InRange(parcel.Geometry.Centroid.X, 105.8, 105.9);
        Assert.Equal("Trần Thị B", parcel.Personal!["CHUSDUNG"]);
        Assert.Equal(1, ParcelFileReader.CountFeatures(path));
    }

    [Fact]
    public async Task Shapefile_with_our_own_wkt_as_prj_reads_in_the_hcmc_zone_without_personal_data()
    {
        var path = _files.Shapefile("hcmc.shp", CrsRegistry.Wkt(Srid.HcmcTm3), [
            (Fixtures.TmRectangle(Srid.HcmcTm3, 604500, 1191000, 10, 12), Record(1, 1, owner: "Lê Văn C")),
            (Fixtures.TmRectangle(Srid.HcmcTm3, 604600, 1191000, 10, 12), Record(1, 2)),
        ]);

        var parcels = (await GeoJsonImportTests.ReadAll(path)).OfType<AcceptedParcel>().Select(a => a.Parcel).ToList();

        Assert.Equal(2, parcels.Count);
        Assert.All(parcels, p => Assert.Equal(Srid.HcmcTm3, p.SourceSrid));
        Assert.All(parcels, p => Assert.Null(p.Personal));
        Assert.All(parcels, p => Assert.Equal(120, p.Area, 6));
    }

    [Fact]
    public async Task Shapefile_without_prj_needs_an_explicit_crs()
    {
        var path = _files.Shapefile("noprj.shp", null, [(Fixtures.TmRectangle(Srid.BrvtTm3, 420000, 1150000, 10, 10), Record(1, 1))]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => GeoJsonImportTests.ReadAll(path));
        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(await GeoJsonImportTests.ReadAll(path, new ParcelImportOptions(Srid: Srid.BrvtTm3)))).Parcel;

        Assert.Contains("give the CRS", error.Message, StringComparison.Ordinal);
        Assert.Null(ParcelFileReader.FileSrid(path));
        Assert.Equal(Srid.BrvtTm3, parcel.SourceSrid);
        Assert.InRange(parcel.Geometry.Centroid.X, 107.0, 107.1);
    }

    [Fact]
    public async Task Shapefile_nan_and_bow_tie_records_are_rejected_or_repaired_with_the_rest_read()
    {
        var factory = GeometryFactories.For(Srid.HcmcTm3);
        var nan = factory.CreatePolygon([new(604500, 1191000), new(double.NaN, 1191000), new(604510, 1191010), new(604500, 1191000)]);
        var bowTie = factory.CreatePolygon([new(604500, 1191000), new(604520, 1191000), new(604520, 1191020), new(604500, 1191020), new(604500.5, 1190999.5), new(604500, 1191000)]);
        var path = _files.Shapefile("bad.shp", CrsRegistry.Wkt(Srid.HcmcTm3), [
            (nan, Record(1, 1)),
            (bowTie, Record(1, 2)),
            (Fixtures.TmRectangle(Srid.HcmcTm3, 604600, 1191000, 10, 10), Record(1, 3)),
            (Fixtures.TmRectangle(Srid.HcmcTm3, 604700, 1191000, 10, 10), Record(1, 3)),
        ]);

        var results = await GeoJsonImportTests.ReadAll(path);

        Assert.Equal(RejectionReason.NonFiniteCoordinates, Assert.IsType<Rejection>(results[0]).Reason);
        Assert.True(Assert.IsType<AcceptedParcel>(results[1]).Repaired);
        Assert.False(Assert.IsType<AcceptedParcel>(results[2]).Repaired);
        Assert.Equal(RejectionReason.DuplicateKey, Assert.IsType<Rejection>(results[3]).Reason);
    }
}
