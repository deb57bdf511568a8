using System.Globalization;
using System.Net;
using HcmCity.Gis.Crs;
using HcmCity.Testing;

namespace HcmCity.LandRecords.Tests.Api;

[Collection(ApiPlatformCollection.Name)]
public sealed class ParcelsApiTests(ApiPlatformFixture fixture)
{
    private const string GeoJson = "application/geo+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Platform.Http;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Parcel_by_id_is_a_wgs84_geojson_feature_with_its_land_record_fields()
    {
        var lot = fixture.Lots[7];
        using var response = await Http.GetAsync($"/api/parcels/{lot.Id}", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);

        var feature = json.RootElement;
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        Assert.Equal(lot.Id, feature.GetProperty("id").GetInt64());
        var properties = feature.GetProperty("properties");
        Assert.Equal(lot.Id, properties.GetProperty("id").GetInt64());
        Assert.Equal(fixture.Patch.Unit, properties.GetProperty("unit").GetString());
        Assert.Equal(ApiPlatformFixture.Sheet, properties.GetProperty("sheet").GetString());
        Assert.Equal(lot.Key.Number, properties.GetProperty("number").GetString());
        Assert.Equal("ODT", properties.GetProperty("landUse").GetString());
        Assert.Equal(200, properties.GetProperty("area").GetDouble(), 0.01);
        Assert.Equal(200, properties.GetProperty("registeredArea").GetDouble(), 0.01);
        Assert.Equal("EPSG:9210", properties.GetProperty("sourceCrs").GetString());
        Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        var envelope = lot.Geometry.EnvelopeInternal;
        Assert.All(ApiAssert.Positions(feature.GetProperty("geometry")), p =>
        {
            Assert.InRange(p.X, envelope.MinX - 1e-9, envelope.MaxX + 1e-9);
            Assert.InRange(p.Y, envelope.MinY - 1e-9, envelope.MaxY + 1e-9);
        });
    }

    [Fact]
    public async Task Parcel_in_vn2000_comes_back_in_the_surveyed_metres()
    {
        var lot = fixture.Lots[0];
        using var response = await Http.GetAsync($"/api/parcels/{lot.Id}?crs=EPSG:9210", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);

        var positions = ApiAssert.Positions(json.RootElement.GetProperty("geometry")).ToList();
        var corner = (fixture.Patch.Easting, fixture.Patch.Northing);
        Assert.Contains(positions, p => Math.Abs(p.X - corner.Easting) < 0.001 && Math.Abs(p.Y - corner.Northing) < 0.001);
        Assert.All(positions, p => Assert.True(p.X > 1000, $"x {p.X} is not an easting in metres"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("1%20OR%201=1")]
    [InlineData("99999999999999999999999")]
    public async Task Id_that_is_not_a_positive_integer_is_a_400_naming_id(string id)
    {
        using var response = await Http.GetAsync($"/api/parcels/{id}", Ct);
        await ApiAssert.BadInputAsync(response, "id");
    }

    [Fact]
    public async Task Missing_parcel_is_a_404_problem()
    {
        using var response = await Http.GetAsync($"/api/parcels/{long.MaxValue}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("EPSG:1234")]
    [InlineData("WGS84;DROP TABLE parcels")]
    [InlineData("urn:ogc:def:crs:EPSG::99999")]
    public async Task Unknown_crs_is_a_400_naming_crs(string crs)
    {
        using var response = await Http.GetAsync($"/api/parcels/{fixture.Lots[0].Id}?crs={Uri.EscapeDataString(crs)}", Ct);
        await ApiAssert.BadInputAsync(response, "crs");
    }

    [Fact]
    public async Task Search_by_unit_and_sheet_pages_through_exactly_the_matching_parcels_by_next_links()
    {
        var seen = new List<long>();
        string? next = $"/api/parcels?unit={fixture.Patch.Unit}&sheet={ApiPlatformFixture.Sheet}&limit=8";
        var pages = 0;
        while (next is not null)
        {
            using var response = await Http.GetAsync(next, Ct);
            using var json = await ApiAssert.JsonAsync(response, GeoJson);
            Assert.Equal(fixture.Lots.Count, json.RootElement.GetProperty("numberMatched").GetInt64());
            var ids = ApiAssert.FeatureIds(json);
            Assert.Equal(ids.Count, json.RootElement.GetProperty("numberReturned").GetInt32());
            seen.AddRange(ids);
            next = ApiAssert.Link(json.RootElement, "next");
            pages++;
        }

        Assert.Equal(4, pages);
        Assert.Equal(fixture.Lots.Select(l => l.Id), seen);
    }

    [Fact]
    public async Task Search_by_number_finds_the_one_parcel()
    {
        var lot = fixture.Lots[12];
        using var response = await Http.GetAsync(
            $"/api/parcels?unit={fixture.Patch.Unit}&sheet={ApiPlatformFixture.Sheet}&number={lot.Key.Number}", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal([lot.Id], ApiAssert.FeatureIds(json));
        Assert.Null(ApiAssert.Link(json.RootElement, "next"));
    }

    [Fact]
    public async Task Search_by_bbox_returns_the_parcels_it_touches()
    {
        // The two lower rows of the patch, minus a margin that keeps the third row out.
        var box = fixture.Patch.Bbox(1, 1, 59, 39);
        using var response = await Http.GetAsync(
            Invariant($"/api/parcels?bbox={box.MinX},{box.MinY},{box.MaxX},{box.MaxY}&limit=1000"), Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal(fixture.Lots.Take(2 * ApiPlatformFixture.Columns).Select(l => l.Id), ApiAssert.FeatureIds(json));
    }

    [Theory]
    [InlineData("106.7,10.7,106.8")]
    [InlineData("106.7,10.7,106.8,10.8,1")]
    [InlineData("106.7,10.7,abc,10.8")]
    [InlineData("106.7,10.7,NaN,10.8")]
    [InlineData("106.7,10.7,Infinity,10.8")]
    [InlineData("106.8,10.7,106.7,10.8")]
    [InlineData("106.7,10.8,106.8,10.8")]
    [InlineData("-181,10.7,106.8,10.8")]
    [InlineData("106.7,10.7,106.8,91")]
    [InlineData("106.7,10.7,106.8,10.8);DROP TABLE parcels;--")]
    [InlineData("106.7' OR '1'='1,10.7,106.8,10.8")]
    public async Task Malformed_bbox_is_a_400_naming_bbox(string bbox)
    {
        using var response = await Http.GetAsync($"/api/parcels?bbox={Uri.EscapeDataString(bbox)}", Ct);
        await ApiAssert.BadInputAsync(response, "bbox");
    }

    [Theory]
    [InlineData("106.0,10.5,106.3,10.6")]
    [InlineData("106.0,10.5,106.1,10.8")]
    [InlineData("100,4,120,25")]
    public async Task Bbox_larger_than_a_quarter_degree_is_a_400_naming_bbox(string bbox)
    {
        using var response = await Http.GetAsync($"/api/parcels?bbox={bbox}", Ct);
        await ApiAssert.BadInputAsync(response, "bbox");
    }

    [Theory]
    [InlineData("limit", "0")]
    [InlineData("limit", "1001")]
    [InlineData("limit", "ten")]
    [InlineData("limit", "10;DROP TABLE parcels")]
    [InlineData("offset", "-1")]
    [InlineData("offset", "1e3")]
    [InlineData("unit", "26734' OR '1'='1")]
    [InlineData("unit", "x'; DROP TABLE parcels; --")]
    [InlineData("sheet", "1; SELECT personal FROM parcels")]
    [InlineData("number", "1\"--")]
    [InlineData("number", "1234567890123456789012345678901234567890123456789012345678901234567890")]
    public async Task Bad_search_parameter_is_a_400_naming_it(string name, string value)
    {
        using var response = await Http.GetAsync($"/api/parcels?{name}={Uri.EscapeDataString(value)}", Ct);
        await ApiAssert.BadInputAsync(response, name);
    }

    [Fact]
    public async Task Sql_words_in_a_key_part_are_matched_as_text_and_find_nothing()
    {
        using var response = await Http.GetAsync(
            $"/api/parcels?unit={fixture.Patch.Unit}&sheet={Uri.EscapeDataString("7 UNION SELECT personal FROM parcels")}", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal(0, json.RootElement.GetProperty("numberMatched").GetInt64());
        Assert.Empty(ApiAssert.FeatureIds(json));
    }

    [Fact]
    public async Task Store_answers_normally_after_injection_attempts()
    {
        foreach (var attempt in new[] { "'; DELETE FROM parcels; --", "1; DROP TABLE parcels" })
        {
            using var rejected = await Http.GetAsync($"/api/parcels?sheet={Uri.EscapeDataString(attempt)}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        }

        Assert.Equal(fixture.Lots.Count, (await fixture.Store.SearchAsync(new(Unit: fixture.Patch.Unit), Ct)).NumberMatched);
    }

    [Fact]
    public async Task Parcels_at_a_lon_lat_point_are_those_containing_it()
    {
        var lot = fixture.Lots[9];
        var (lon, lat) = (lot.Geometry.Centroid.X, lot.Geometry.Centroid.Y);
        using var response = await Http.GetAsync(Invariant($"/api/parcels/at?lon={lon}&lat={lat}"), Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal([lot.Id], ApiAssert.FeatureIds(json));
        Assert.Equal(1, json.RootElement.GetProperty("numberMatched").GetInt32());
    }

    [Fact]
    public async Task Parcels_at_a_vn2000_point_are_found_after_transforming_it_to_wgs84()
    {
        var lot = fixture.Lots[20];
        var centre = lot.SourceGeometry.Centroid;
        using var response = await Http.GetAsync(Invariant($"/api/parcels/at?x={centre.X}&y={centre.Y}&crs=EPSG:9210"), Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal([lot.Id], ApiAssert.FeatureIds(json));
        // Output stays RFC 7946 WGS 84 whatever CRS the point came in.
        Assert.All(ApiAssert.Positions(json.RootElement.GetProperty("features")[0].GetProperty("geometry")), p => Assert.InRange(p.X, 100, 120));
    }

    [Fact]
    public async Task Parcels_at_a_point_in_open_sea_is_an_empty_collection()
    {
        using var response = await Http.GetAsync("/api/parcels/at?lon=109.9&lat=7.1", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Empty(ApiAssert.FeatureIds(json));
    }

    [Theory]
    [InlineData("", "lon")]
    [InlineData("lon=106.7", "lat")]
    [InlineData("lon=abc&lat=10.7", "lon")]
    [InlineData("lon=181&lat=10.7", "lon")]
    [InlineData("lon=106.7&lat=-91", "lat")]
    [InlineData("x=604500", "y")]
    [InlineData("x=604500&y=1190900", "crs")]
    [InlineData("x=604500&y=1190900&crs=EPSG:4242", "crs")]
    [InlineData("x=106.7&y=10.7&crs=EPSG:9210", "y")]
    [InlineData("lon=106.7&lat=10.7&crs=EPSG:9210", "crs")]
    public async Task Bad_point_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await Http.GetAsync($"/api/parcels/at?{query}", Ct);
        await ApiAssert.BadInputAsync(response, field);
    }

    [Fact]
    public async Task Vn2000_lookup_agrees_with_the_platform_transform()
    {
        // A point 5 m inside lot 1 in each direction, given in both systems, finds the same lot.
        var (lon, lat) = fixture.Patch.LonLat(5, 5);
        var (x, y) = CrsTransforms.Transform(lon, lat, Srid.Wgs84, Srid.HcmcTm3);
        using var byLonLat = await Http.GetAsync(Invariant($"/api/parcels/at?lon={lon}&lat={lat}"), Ct);
        using var byXy = await Http.GetAsync(Invariant($"/api/parcels/at?x={x}&y={y}&crs=EPSG:9210"), Ct);
        using var a = await ApiAssert.JsonAsync(byLonLat, GeoJson);
        using var b = await ApiAssert.JsonAsync(byXy, GeoJson);
        Assert.Equal([fixture.Lots[0].Id], ApiAssert.FeatureIds(a));
        Assert.Equal(ApiAssert.FeatureIds(a), ApiAssert.FeatureIds(b));
    }
}
