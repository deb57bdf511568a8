using HcmCity.Testing;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.LandRecords.Tests.Api;

[Collection(ApiPlatformCollection.Name)]
public sealed class MapDataApiTests(ApiPlatformFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Platform.Http;

    [Fact]
    public async Task Map_config_centres_the_view_on_the_bounds_of_the_city()
    {
        using var response = await Http.GetAsync("/api/map/config", Ct);
        using var json = await ApiAssert.JsonAsync(response, "application/json");
        var root = json.RootElement;
        var bounds = root.GetProperty("bounds").EnumerateArray().Select(n => n.GetDouble()).ToArray();
        var center = root.GetProperty("center").EnumerateArray().Select(n => n.GetDouble()).ToArray();
        Assert.Equal(4, bounds.Length);
        Assert.InRange(center[0], bounds[0], bounds[2]);
        Assert.InRange(center[1], bounds[1], bounds[3]);
        Assert.InRange(root.GetProperty("zoom").GetInt32(), 3, 18);

        // Every parcel of the synthetic city (its first one as a witness) lies inside the bounds.
        var first = await fixture.Store.GetAsync(1, Ct);
        Assert.NotNull(first);
        var envelope = first.Geometry.EnvelopeInternal;
        Assert.True(bounds[0] <= envelope.MinX && envelope.MaxX <= bounds[2] && bounds[1] <= envelope.MinY && envelope.MaxY <= bounds[3]);
    }

    [Fact]
    public async Task Wards_are_a_feature_collection_with_code_name_and_polygon()
    {
        var wards = fixture.Platform.Services.GetRequiredService<WardBoundaries>().All;
        Assert.NotEmpty(wards);

        using var response = await Http.GetAsync("/api/wards", Ct);
        using var json = await ApiAssert.JsonAsync(response, "application/geo+json");
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(wards.Count, features.Count);
        Assert.Equal(wards.Select(w => (w.Code, w.Name)), features.Select(f =>
            (f.GetProperty("properties").GetProperty("code").GetString()!, f.GetProperty("properties").GetProperty("name").GetString()!)));
        Assert.All(features, f => Assert.Contains(f.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" }));
        // Names are sent as UTF-8 text ("Phường ..."), not \u escapes.
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("\\u", body, StringComparison.Ordinal);
    }
}
