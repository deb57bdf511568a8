using HcmCity.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HcmCity.Gis.Crs;
using HcmCity.LandRecords.Ogc;

namespace HcmCity.LandRecords.Tests.Api;

/// <summary>OGC API - Features Part 1 (core, GeoJSON) and Part 2 (crs) as a GIS client sees them.</summary>
[Collection(ApiPlatformCollection.Name)]
public sealed class OgcApiTests(ApiPlatformFixture fixture)
{
    private const string Json = "application/json";
    private const string GeoJson = "application/geo+json";
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private const string Epsg9210 = "http://www.opengis.net/def/crs/EPSG/0/9210";
    private const string Epsg4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Platform.Http;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Landing_page_links_self_api_definition_conformance_and_data_and_each_link_resolves()
    {
        using var response = await Http.GetAsync("/ogc", Ct);
        using var json = await ApiAssert.JsonAsync(response, Json);
        var root = json.RootElement;
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        foreach (var rel in new[] { "self", "service-desc", "conformance", "data" })
        {
            var href = ApiAssert.Link(root, rel);
            Assert.NotNull(href);
            Assert.StartsWith(fixture.Platform.BaseAddress.ToString().TrimEnd('/'), href, StringComparison.Ordinal);
            using var target = await Http.GetAsync(href, Ct);
            Assert.True(target.StatusCode == HttpStatusCode.OK, $"{rel} link {href} gave {(int)target.StatusCode}");
        }
    }

    [Fact]
    public async Task Api_definition_documents_the_items_parameters_by_their_wire_names()
    {
        using var response = await Http.GetAsync("/openapi/v1.json", Ct);
        using var json = await ApiAssert.JsonAsync(response, Json);
        var parameters = json.RootElement.GetProperty("paths").GetProperty("/ogc/collections/{collectionId}/items")
            .GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "collectionId", "bbox", "bbox-crs", "crs", "limit", "offset", "f" }, parameters.ToHashSet());
    }

    [Fact]
    public async Task Conformance_declares_core_geojson_oas30_and_crs()
    {
        using var response = await Http.GetAsync("/ogc/conformance", Ct);
        using var json = await ApiAssert.JsonAsync(response, Json);
        var classes = json.RootElement.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
    }

    [Fact]
    public async Task Parcels_collection_describes_its_extent_crs_list_storage_crs_and_items_link()
    {
        using var response = await Http.GetAsync("/ogc/collections", Ct);
        using var json = await ApiAssert.JsonAsync(response, Json);
        var collection = Assert.Single(json.RootElement.GetProperty("collections").EnumerateArray());
        Assert.Equal("parcels", collection.GetProperty("id").GetString());
        Assert.Equal("feature", collection.GetProperty("itemType").GetString());
        Assert.Equal([Crs84, Epsg9210, Epsg4326], collection.GetProperty("crs").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(Crs84, collection.GetProperty("storageCrs").GetString());
        var bbox = collection.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(n => n.GetDouble()).ToArray();
        Assert.Equal(4, bbox.Length);
        Assert.True(bbox[0] < bbox[2] && bbox[1] < bbox[3]);
        // The synthetic city is laid out around Bến Thành.
        Assert.InRange(106.698, bbox[0], bbox[2]);
        Assert.InRange(10.772, bbox[1], bbox[3]);
        Assert.EndsWith("/ogc/collections/parcels/items", ApiAssert.Link(collection, "items"), StringComparison.Ordinal);

        using var single = await Http.GetAsync("/ogc/collections/parcels?f=json", Ct);
        using var singleJson = await ApiAssert.JsonAsync(single, Json);
        Assert.Equal(collection.GetProperty("extent").GetRawText(), singleJson.RootElement.GetProperty("extent").GetRawText());
    }

    [Fact]
    public async Task Items_default_to_ten_with_counts_timestamp_and_next_link()
    {
        using var response = await Http.GetAsync("/ogc/collections/parcels/items", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        var root = json.RootElement;
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        Assert.Equal(10, root.GetProperty("numberReturned").GetInt32());
        Assert.Equal(await fixture.Store.CountAsync(Ct), root.GetProperty("numberMatched").GetInt64());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("timeStamp").GetString(), CultureInfo.InvariantCulture, out _));
        Assert.Equal($"<{Crs84}>", response.Headers.GetValues("Content-Crs").Single());
        var next = ApiAssert.Link(root, "next");
        Assert.NotNull(next);

        using var nextResponse = await Http.GetAsync(next, Ct);
        using var nextJson = await ApiAssert.JsonAsync(nextResponse, GeoJson);
        Assert.Empty(ApiAssert.FeatureIds(json).Intersect(ApiAssert.FeatureIds(nextJson)));
        Assert.Equal(ApiAssert.FeatureIds(json).Max() + 1, ApiAssert.FeatureIds(nextJson).Min());
    }

    [Fact]
    public async Task An_offset_beyond_the_cap_is_400_naming_offset_and_the_cap_itself_is_served()
    {
        using var beyond = await Http.GetAsync(Invariant($"/ogc/collections/parcels/items?offset={OgcApi.MaxOffset + 1}"), Ct);
        using var deep = await Http.GetAsync("/ogc/collections/parcels/items?offset=2000000", Ct);
        using var atCap = await Http.GetAsync(Invariant($"/ogc/collections/parcels/items?offset={OgcApi.MaxOffset}"), Ct);

        await ApiAssert.BadInputAsync(beyond, "offset");
        await ApiAssert.BadInputAsync(deep, "offset");
        Assert.Contains("bbox", await beyond.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, atCap.StatusCode);
    }

    [Fact]
    public async Task Limit_above_the_maximum_is_served_as_the_maximum()
    {
        using var response = await Http.GetAsync("/ogc/collections/parcels/items?limit=5000", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal(1000, json.RootElement.GetProperty("numberReturned").GetInt32());
    }

    [Fact]
    public async Task Bbox_in_crs84_selects_the_patch_and_pages_it_to_the_end()
    {
        var box = fixture.Patch.Bbox(-1, -1, 61, 101);
        var ids = new List<long>();
        string? next = Invariant($"/ogc/collections/parcels/items?bbox={box.MinX},{box.MinY},{box.MaxX},{box.MaxY}&limit=7");
        while (next is not null)
        {
            using var response = await Http.GetAsync(next, Ct);
            using var json = await ApiAssert.JsonAsync(response, GeoJson);
            Assert.Equal(fixture.Lots.Count, json.RootElement.GetProperty("numberMatched").GetInt64());
            ids.AddRange(ApiAssert.FeatureIds(json));
            next = ApiAssert.Link(json.RootElement, "next");
        }

        Assert.Equal(fixture.Lots.Select(l => l.Id), ids);
    }

    [Fact]
    public async Task Bbox_in_vn2000_selects_the_same_parcels_as_in_crs84()
    {
        // Rows 1 and 2 of the patch (north 20..60 m), columns 1..3 (east 10..40 m), with 1 m margins inside.
        var (e, n) = (fixture.Patch.Easting, fixture.Patch.Northing);
        var url = Invariant($"/ogc/collections/parcels/items?bbox={e + 11},{n + 21},{e + 39},{n + 59}&bbox-crs={Uri.EscapeDataString(Epsg9210)}&limit=100");
        using var response = await Http.GetAsync(url, Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        var expected = fixture.Lots
            .Where((_, i) => i / ApiPlatformFixture.Columns is 1 or 2 && i % ApiPlatformFixture.Columns is >= 1 and <= 3)
            .Select(l => l.Id);
        Assert.Equal(expected, ApiAssert.FeatureIds(json));
    }

    [Fact]
    public async Task Items_in_vn2000_carry_metres_and_the_content_crs_header()
    {
        var lot = fixture.Lots[0];
        var centre = lot.Geometry.Centroid;
        var url = Invariant($"/ogc/collections/parcels/items?bbox={centre.X - 1e-5},{centre.Y - 1e-5},{centre.X + 1e-5},{centre.Y + 1e-5}&crs={Uri.EscapeDataString(Epsg9210)}");
        using var response = await Http.GetAsync(url, Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal($"<{Epsg9210}>", response.Headers.GetValues("Content-Crs").Single());
        var feature = Assert.Single(json.RootElement.GetProperty("features").EnumerateArray());
        Assert.Contains(
            ApiAssert.Positions(feature.GetProperty("geometry")),
            p => Math.Abs(p.X - fixture.Patch.Easting) < 0.001 && Math.Abs(p.Y - fixture.Patch.Northing) < 0.001);
    }

    [Fact]
    public async Task Items_in_epsg_4326_are_latitude_first_as_that_crs_defines()
    {
        var lot = fixture.Lots[0];
        using var response = await Http.GetAsync($"/ogc/collections/parcels/items/{lot.Id}?crs={Uri.EscapeDataString(Epsg4326)}", Ct);
        using var json = await ApiAssert.JsonAsync(response, GeoJson);
        Assert.Equal($"<{Epsg4326}>", response.Headers.GetValues("Content-Crs").Single());
        var (lon, lat) = CrsTransforms.Transform(fixture.Patch.Easting, fixture.Patch.Northing, Srid.HcmcTm3, Srid.Wgs84);
        Assert.Contains(
            ApiAssert.Positions(json.RootElement.GetProperty("geometry")),
            p => Math.Abs(p.X - lat) < 1e-9 && Math.Abs(p.Y - lon) < 1e-9);
    }

    [Fact]
    public async Task Single_item_is_a_feature_and_an_unknown_one_is_a_404()
    {
        var lot = fixture.Lots[3];
        using var found = await Http.GetAsync($"/ogc/collections/parcels/items/{lot.Id}", Ct);
        using var json = await ApiAssert.JsonAsync(found, GeoJson);
        Assert.Equal(lot.Id, json.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(lot.Key.Number, json.RootElement.GetProperty("properties").GetProperty("number").GetString());

        foreach (var missing in new[] { long.MaxValue.ToString(CultureInfo.InvariantCulture), "abc" })
        {
            using var response = await Http.GetAsync($"/ogc/collections/parcels/items/{missing}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("/ogc/collections/roads")]
    [InlineData("/ogc/collections/roads/items")]
    [InlineData("/ogc/collections/roads/items/1")]
    public async Task Unknown_collection_is_a_404(string path)
    {
        using var response = await Http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("crs=EPSG:1234", "crs")]
    [InlineData("crs=http://www.opengis.net/def/crs/EPSG/0/3857", "crs")]
    [InlineData("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/9999&bbox=1,2,3,4", "bbox-crs")]
    [InlineData("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/9210", "bbox-crs")]
    [InlineData("bbox=1,2,3", "bbox")]
    [InlineData("bbox=106.8,10.7,106.7,10.8", "bbox")]
    [InlineData("bbox=106.7,10.7,106.8,10.8%27%20OR%201=1", "bbox")]
    [InlineData("bbox=1,1,2,2&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/9210", "bbox")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-3", "limit")]
    [InlineData("limit=1;DROP TABLE parcels", "limit")]
    [InlineData("offset=x", "offset")]
    [InlineData("f=xml", "f")]
    public async Task Bad_items_parameter_is_a_400_naming_it(string query, string field)
    {
        using var response = await Http.GetAsync($"/ogc/collections/parcels/items?{query}", Ct);
        await ApiAssert.BadInputAsync(response, field);
    }

    [Fact]
    public async Task Geojson_and_json_accept_headers_and_f_json_all_get_geojson()
    {
        foreach (var (accept, query) in new[] { ("application/geo+json", ""), ("application/json", ""), ("text/html", "&f=json"), ("*/*", "") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/ogc/collections/parcels/items?limit=1{query}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            using var response = await Http.SendAsync(request, Ct);
            using var json = await ApiAssert.JsonAsync(response, GeoJson);
            Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("features").ValueKind);
        }
    }
}
