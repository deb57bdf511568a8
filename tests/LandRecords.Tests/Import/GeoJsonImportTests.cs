using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Import;
using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Tests.Import;

public sealed class GeoJsonImportTests : IDisposable
{
    private const string Hcmc = "urn:ogc:def:crs:EPSG::9210";
    private const string Hanoi = "urn:ogc:def:crs:EPSG::5897";

    private readonly Fixtures _files = new();

    public void Dispose() => _files.Dispose();

    internal static async Task<List<ParcelReadResult>> ReadAll(string path, ParcelImportOptions? options = null) =>
        await ParcelFileReader.ReadAsync(path, options ?? new ParcelImportOptions(), TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Parcel_in_hcmc_zone_keeps_its_source_geometry_and_gets_wgs84()
    {
        var path = _files.GeoJson("hcmc.geojson", Hcmc, [
            Fixtures.Polygon(Fixtures.Cadastral(12.0, 345.0, "ODT", 600.2), Fixtures.Rectangle(604500, 1191000, 20, 30)),
        ]);

        var results = await ReadAll(path);

        var accepted = Assert.IsType<AcceptedParcel>(Assert.Single(results));
        var parcel = accepted.Parcel;
        Assert.False(accepted.Repaired);
        Assert.Equal(new ParcelKey("26734", "12", "345"), parcel.Key);
        Assert.Equal(Srid.HcmcTm3, parcel.SourceSrid);
        Assert.Equal(Srid.HcmcTm3, parcel.SourceGeometry.SRID);
        Assert.IsType<Polygon>(parcel.SourceGeometry);
        Assert.Equal(600, parcel.Area, 9);
        Assert.Equal(600.2, parcel.RegisteredArea);
        Assert.Equal(Srid.Wgs84, parcel.Geometry.SRID);
        Assert.IsType<Polygon>(parcel.Geometry);
        var expected = CrsTransforms.Transform(604500, 1191000, Srid.HcmcTm3, Srid.Wgs84);
        Assert.Equal(expected.X, parcel.Geometry.Coordinates[0].X, 12);
        Assert.Equal(expected.Y, parcel.Geometry.Coordinates[0].Y, 12);
        Assert.Null(parcel.Personal);
    }

    [Fact]
    public async Task Hanoi_zone_file_reads_with_its_crs_and_multipolygons_stay_multi()
    {
        var path = _files.GeoJson("hanoi.geojson", Hanoi, [
            Fixtures.MultiPolygon(Fixtures.Cadastral(1, 33, "CLN"), [Fixtures.Rectangle(585000, 2330000, 40, 50)]),
        ]);

        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path))).Parcel;

        Assert.Equal(Srid.HanoiTm3, parcel.SourceSrid);
        Assert.IsType<MultiPolygon>(parcel.SourceGeometry);
        Assert.IsType<MultiPolygon>(parcel.Geometry);
        Assert.Equal(2000, parcel.Area, 9);
        Assert.InRange(parcel.Geometry.Centroid.X, 105.8, 105.9);
        Assert.InRange(parcel.Geometry.Centroid.Y, 21.0, 21.1);
        Assert.Equal(Srid.HanoiTm3, ParcelFileReader.FileSrid(path));
    }

    [Theory]
    [InlineData("ONT+CLN", "ONT+CLN")]
    [InlineData("  ont+cln ", "ONT+CLN")]
    [InlineData("odt", "ODT")]
    public async Task Land_use_is_trimmed_and_upper_cased_and_compound_codes_kept(string written, string expected)
    {
        var path = _files.GeoJson("landuse.geojson", Hcmc, [
            Fixtures.Polygon(Fixtures.Cadastral(1, 1, written), Fixtures.Rectangle(604500, 1191000, 10, 10)),
        ]);

        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path))).Parcel;

        Assert.Equal(expected, parcel.LandUse);
    }

    [Fact]
    public async Task English_field_names_are_matched_case_insensitively()
    {
        var properties = new Dictionary<string, object?>
        {
            ["Commune"] = "Phu Cat", ["Map_Sheet"] = "7", ["PARCEL_NO"] = "12a", ["Area"] = "150.5", ["Land_Use"] = "ONT",
        };
        var path = _files.GeoJson("english.geojson", Hcmc, [Fixtures.Polygon(properties, Fixtures.Rectangle(604500, 1191000, 10, 15))]);

        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path))).Parcel;

        Assert.Equal(new ParcelKey("Phu Cat", "7", "12a"), parcel.Key);
        Assert.Equal(150.5, parcel.RegisteredArea);
        Assert.Equal("ONT", parcel.LandUse);
    }

    [Fact]
    public async Task Unit_option_wins_over_the_file()
    {
        var path = _files.GeoJson("unit.geojson", Hcmc, [
            Fixtures.Polygon(Fixtures.Cadastral(1, 1, unit: "9922"), Fixtures.Rectangle(604500, 1191000, 10, 10)),
        ]);

        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path, new ParcelImportOptions(Unit: "Phường Sài Gòn")))).Parcel;

        Assert.Equal("Phường Sài Gòn", parcel.Key.Unit);
    }

    [Fact]
    public async Task Personal_fields_are_dropped_unless_asked_to_keep_them()
    {
        var properties = Fixtures.Cadastral(1, 1);
        properties["CHUSDUNG"] = "Nguyễn Văn A";
        properties["cccd"] = "079123456789";
        properties["DIADANH"] = "Ấp 3";
        var path = _files.GeoJson("personal.geojson", Hcmc, [Fixtures.Polygon(properties, Fixtures.Rectangle(604500, 1191000, 10, 10))]);

        var dropped = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path))).Parcel;
        var kept = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path, new ParcelImportOptions(KeepPersonal: true)))).Parcel;

        Assert.Null(dropped.Personal);
        Assert.NotNull(kept.Personal);
        Assert.Equal("Nguyễn Văn A", kept.Personal["CHUSDUNG"]);
        Assert.Equal("079123456789", kept.Personal["CCCD"]);
        Assert.False(kept.Personal.ContainsKey("DIADANH"));
    }

    [Fact]
    public async Task Slightly_self_intersecting_parcel_is_repaired_and_flagged()
    {
        // A 20 × 20 m parcel whose last vertex was digitised 0.5 m past the first corner: a bow-tie with a tiny lobe.
        double[][] ring = [[604500, 1191000], [604520, 1191000], [604520, 1191020], [604500, 1191020], [604500.5, 1190999.5], [604500, 1191000]];
        var path = _files.GeoJson("bowtie.geojson", Hcmc, [Fixtures.Polygon(Fixtures.Cadastral(1, 1), ring)]);

        var accepted = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path)));

        Assert.True(accepted.Repaired);
        Assert.True(accepted.Parcel.SourceGeometry.IsValid);
        Assert.True(accepted.Parcel.Geometry.IsValid);
        Assert.InRange(accepted.Parcel.Area, 395, 396);
    }

    [Fact]
    public async Task Symmetric_bow_tie_is_rejected_as_unrepairable()
    {
        double[][] ring = [[604500, 1191000], [604520, 1191020], [604520, 1191000], [604500, 1191020], [604500, 1191000]];
        var path = _files.GeoJson("bowtie2.geojson", Hcmc, [Fixtures.Polygon(Fixtures.Cadastral(1, 1), ring)]);

        var rejection = Assert.IsType<Rejection>(Assert.Single(await ReadAll(path)));

        Assert.Equal(RejectionReason.Unrepairable, rejection.Reason);
        Assert.Equal(new ParcelKey("26734", "1", "1"), rejection.Key);
        Assert.Equal(0, rejection.FeatureIndex);
    }

    [Fact]
    public async Task Each_bad_feature_is_rejected_with_its_reason_and_the_rest_are_read()
    {
        var good = Fixtures.Rectangle(604500, 1191000, 10, 10);
        var noSheet = Fixtures.Cadastral(1, 2);
        noSheet.Remove("SHBANDO");
        var noNumber = Fixtures.Cadastral(1, 3);
        noNumber["SHTHUA"] = "  ";
        var noUnit = Fixtures.Cadastral(1, 4);
        noUnit.Remove("XAID");
        var path = _files.GeoJson("mixed.geojson", Hcmc, [
            Fixtures.Polygon(Fixtures.Cadastral(1, 1), good),
            new FixtureFeature(Fixtures.Cadastral(1, 10), null),
            new FixtureFeature(Fixtures.Cadastral(1, 11), "{\"type\":\"Polygon\",\"coordinates\":[]}"),
            Fixtures.Point(Fixtures.Cadastral(1, 12), 604500, 1191000),
            new FixtureFeature(Fixtures.Cadastral(1, 13), "{\"type\":\"Polygon\",\"coordinates\":[[[604500,1191000],[1e400,1191000],[604510,1191010],[604500,1191000]]]}"),
            Fixtures.Polygon(Fixtures.Cadastral(1, 14), Fixtures.Rectangle(106.7, 10.77, 0.0001, 0.0001)),
            Fixtures.Polygon(noSheet, good),
            Fixtures.Polygon(noNumber, good),
            Fixtures.Polygon(noUnit, good),
            Fixtures.Polygon(Fixtures.Cadastral(1, 1), Fixtures.Rectangle(604600, 1191000, 10, 10)),
            Fixtures.Polygon(Fixtures.Cadastral(1, 15), Fixtures.Rectangle(604700, 1191000, 10, 10)),
        ]);

        var results = await ReadAll(path);

        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), results.Select(r => r.FeatureIndex));
        Assert.Equal(["26734/1/1", "26734/1/15"], results.OfType<AcceptedParcel>().Select(a => a.Parcel.Key.ToString()));
        var reasons = results.OfType<Rejection>().ToDictionary(r => r.FeatureIndex, r => r.Reason);
        Assert.Equal(RejectionReason.EmptyGeometry, reasons[1]);
        Assert.Equal(RejectionReason.EmptyGeometry, reasons[2]);
        Assert.Equal(RejectionReason.NotPolygonal, reasons[3]);
        Assert.Equal(RejectionReason.NonFiniteCoordinates, reasons[4]);
        Assert.Equal(RejectionReason.OutOfRange, reasons[5]);
        Assert.Equal(RejectionReason.MissingSheet, reasons[6]);
        Assert.Equal(RejectionReason.MissingNumber, reasons[7]);
        Assert.Equal(RejectionReason.MissingUnit, reasons[8]);
        Assert.Equal(RejectionReason.DuplicateKey, reasons[9]);
        Assert.Contains("26734/1/1", results.OfType<Rejection>().Single(r => r.FeatureIndex == 9).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"99999999999\",\"coordinates\":[[[604500,1191000],[604510,1191000],[604510,1191010],[604500,1191000]]]}")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":\"Nguyễn Văn A, 079200001234\"}")]
    public async Task An_unreadable_geometry_is_rejected_as_malformed_without_echoing_its_values(string geometry)
    {
        var path = _files.GeoJson("unreadable.geojson", Hcmc, [
            new FixtureFeature(Fixtures.Cadastral(1, 20), geometry),
            Fixtures.Polygon(Fixtures.Cadastral(1, 21), Fixtures.Rectangle(604500, 1191000, 10, 10)),
        ]);

        var results = await ReadAll(path);

        var rejection = Assert.IsType<Rejection>(results[0]);
        Assert.Equal(RejectionReason.Malformed, rejection.Reason);
        Assert.DoesNotContain("Nguyễn", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("99999999999", rejection.Message, StringComparison.Ordinal);
        Assert.Equal("26734/1/21", Assert.IsType<AcceptedParcel>(results[1]).Parcel.Key.ToString());
    }

    [Fact]
    public async Task Explicit_crs_overrides_the_file()
    {
        var path = _files.GeoJson("mislabelled.geojson", Hcmc, [
            Fixtures.Polygon(Fixtures.Cadastral(1, 1), Fixtures.Rectangle(585000, 2330000, 10, 10)),
        ]);

        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path, new ParcelImportOptions(Srid: Srid.HanoiTm3)))).Parcel;

        Assert.Equal(Srid.HanoiTm3, parcel.SourceSrid);
        var expected = CrsTransforms.Transform(585000, 2330000, Srid.HanoiTm3, Srid.Wgs84);
        Assert.Equal(expected.X, parcel.Geometry.Coordinates[0].X, 12);
    }

    [Fact]
    public async Task File_without_crs_is_wgs84_and_its_area_is_in_square_metres()
    {
        var corner = CrsTransforms.Transform(604500, 1191000, Srid.HcmcTm3, Srid.Wgs84);
        var far = CrsTransforms.Transform(604530, 1191040, Srid.HcmcTm3, Srid.Wgs84);
        var path = _files.GeoJson("rfc7946.geojson", null, [
            Fixtures.Polygon(Fixtures.Cadastral(1, 1), [[corner.X, corner.Y], [far.X, corner.Y], [far.X, far.Y], [corner.X, far.Y], [corner.X, corner.Y]]),
        ]);

        var parcel = Assert.IsType<AcceptedParcel>(Assert.Single(await ReadAll(path))).Parcel;

        Assert.Equal(Srid.Wgs84, parcel.SourceSrid);
        Assert.Equal(Srid.Wgs84, ParcelFileReader.FileSrid(path));
        Assert.InRange(parcel.Area, 1200 * 0.995, 1200 * 1.005);
    }

    [Fact]
    public async Task Unsupported_file_crs_is_reported_by_name()
    {
        var path = _files.GeoJson("lambert.geojson", "urn:ogc:def:crs:EPSG::2154", [
            Fixtures.Polygon(Fixtures.Cadastral(1, 1), Fixtures.Rectangle(604500, 1191000, 10, 10)),
        ]);

        var error = await Assert.ThrowsAsync<UnknownCrsException>(() => ReadAll(path));

        Assert.Contains("EPSG::2154", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_file_fails_with_the_path()
    {
        var path = _files.Text("truncated.geojson", """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(path));

        Assert.Contains("truncated.geojson", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_feature_file_is_not_taken_for_a_collection()
    {
        var path = _files.Text("feature.geojson", """{"type":"Feature","properties":{},"geometry":null}""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(path));

        Assert.Contains("not a FeatureCollection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_file_types_are_refused_by_name()
    {
        var path = _files.Text("parcels.kml", "<kml/>");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(path));

        Assert.Contains("parcels.kml", error.Message, StringComparison.Ordinal);
        Assert.Null(ParcelFileReader.CountFeatures(path));
    }

    [Fact]
    public async Task Large_file_streams_through_features_bigger_than_the_read_buffer()
    {
        // 3,000 parcels plus one with 20,000 vertices (~700 KB of JSON), larger than the reader's initial buffer.
        var circle = Enumerable.Range(0, 20_000)
            .Select(i => new[] { 605000 + (50 * Math.Cos(i * 2 * Math.PI / 20_000)), 1192000 + (50 * Math.Sin(i * 2 * Math.PI / 20_000)) })
            .Append([605050, 1192000])
            .ToArray();
        var features = Enumerable.Range(0, 3000)
            .Select(i => Fixtures.Polygon(Fixtures.Cadastral(1 + (i / 100), 1 + (i % 100)), Fixtures.Rectangle(600000 + (i % 100 * 20), 1190000 + (i / 100 * 20), 15, 15)))
            .Prepend(Fixtures.Polygon(Fixtures.Cadastral(999, 1), circle));
        var path = _files.GeoJson("large.geojson", Hcmc, features);

        var results = await ReadAll(path);

        Assert.Equal(3001, ParcelFileReader.CountFeatures(path));
        Assert.Equal(3001, results.OfType<AcceptedParcel>().Count());
        Assert.Equal(20_001, results.OfType<AcceptedParcel>().First().Parcel.SourceGeometry.NumPoints);
        Assert.All(results.OfType<AcceptedParcel>().Skip(1), a => Assert.Equal(225, a.Parcel.Area, 6));
    }

    [Fact]
    public async Task Batches_hold_batch_size_parcels_with_rejections_and_progress()
    {
        var features = Enumerable.Range(1, 7)
            .Select(i => Fixtures.Polygon(Fixtures.Cadastral(1, i), Fixtures.Rectangle(604500 + (i * 20), 1191000, 10, 10)))
            .Append(Fixtures.Point(Fixtures.Cadastral(1, 99), 604500, 1191000));
        var path = _files.GeoJson("batches.geojson", Hcmc, features);

        var batches = await ParcelFileReader.ReadBatchesAsync(path, new ParcelImportOptions(BatchSize: 3), TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([3, 3, 1], batches.Select(b => b.Parcels.Count));
        Assert.Equal([3L, 6L, 8L], batches.Select(b => b.FeaturesRead));
        Assert.Equal(RejectionReason.NotPolygonal, Assert.Single(batches[^1].Rejections).Reason);
        Assert.Equal(8, ParcelFileReader.CountFeatures(path));
    }
}
