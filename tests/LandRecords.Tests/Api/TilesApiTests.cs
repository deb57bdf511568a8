using HcmCity.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using HcmCity.Gis.Tiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using NtsTile = NetTopologySuite.IO.VectorTiles.Tiles.Tile;

namespace HcmCity.LandRecords.Tests.Api;

[Collection(ApiPlatformCollection.Name)]
public sealed class TilesApiTests(ApiPlatformFixture fixture)
{
    private const string MediaType = "application/vnd.mapbox-vector-tile";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Platform.Http;

    private (int X, int Y) PatchTile(int z)
    {
        var (lon, lat) = fixture.Patch.LonLat(30, 50);
        return TileMath.TileAt(lon, lat, z);
    }

    [Fact]
    public async Task Tile_over_parcels_is_a_cacheable_mvt_with_the_parcels_layer()
    {
        var (x, y) = PatchTile(16);
        using var response = await Http.GetAsync($"/tiles/parcels/16/{x}/{y}.mvt", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.InRange(response.Headers.CacheControl!.MaxAge!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var tile = new MapboxTileReader().Read(new MemoryStream(bytes), new NtsTile(x, y, 16));
        var layer = Assert.Single(tile.Layers);
        Assert.Equal("parcels", layer.Name);
        var ids = layer.Features.Select(f => Convert.ToInt64(f.Attributes["id"], CultureInfo.InvariantCulture)).ToHashSet();
        var bounds = TileMath.LonLatBounds(16, x, y);
        var inside = fixture.Lots.Where(l => bounds.Contains(l.Geometry.Centroid.Coordinate)).Select(l => l.Id).ToHashSet();
        Assert.NotEmpty(inside);
        Assert.Superset(inside, ids);
    }

    [Fact]
    public async Task Same_etag_in_if_none_match_gives_304_without_a_body()
    {
        var (x, y) = PatchTile(17);
        var path = $"/tiles/parcels/17/{x}/{y}.mvt";
        using var first = await Http.GetAsync(path, Ct);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync(Ct));

        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));
        using var refreshed = await Http.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(Ct), await refreshed.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(10)]
    public async Task Tile_without_visible_parcels_is_an_empty_200(int z)
    {
        // Open sea south of Côn Đảo at z16; at z10 parcels are not drawn at all.
        var (x, y) = z == 16 ? TileMath.TileAt(106.0, 7.0, z) : PatchTile(z);
        using var response = await Http.GetAsync($"/tiles/parcels/{z}/{x}/{y}.mvt", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("23/0/0", "z")]
    [InlineData("-1/0/0", "z")]
    [InlineData("abc/0/0", "z")]
    [InlineData("2/4/0", "x")]
    [InlineData("2/-1/0", "x")]
    [InlineData("2/0/4", "y")]
    [InlineData("16/52193/1e3", "y")]
    [InlineData("16/52193%27%20OR%201=1/30796", "x")]
    public async Task Tile_address_out_of_range_is_a_400_naming_the_parameter(string zxy, string field)
    {
        using var response = await Http.GetAsync($"/tiles/parcels/{zxy}.mvt", Ct);
        await ApiAssert.BadInputAsync(response, field);
    }
}
