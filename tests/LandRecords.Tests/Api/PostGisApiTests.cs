using System.Globalization;
using System.Net;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Gis.Tiles;
using HcmCity.Testing;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HcmCity.LandRecords.Tests.Api;

/// <summary>The platform on a database of its own: PostGisParcelStore behind the API.</summary>
public sealed class PostGisApiFixture : IAsyncLifetime
{
    private PostgresDatabase? _database;

    public PlatformInstance Platform { get; private set; } = null!;

    public ParcelFixtures Patch { get; } = new();

    public IReadOnlyList<Parcel> Lots { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync(CancellationToken.None);
        Platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
        });
        var store = Platform.Services.GetRequiredService<IParcelStore>();
        await store.UpsertAsync([.. Enumerable.Range(0, 12).Select(i => Patch.Lot("3", i + 1, i % 4 * 10, i / 4 * 20, width: 10, depth: 20))]);
        Lots = (await store.SearchAsync(new ParcelQuery(Unit: Patch.Unit))).Items;
        // Statistics for ST_EstimatedExtent, as autovacuum would gather after a bulk load.
        await using var analyze = _database.DataSource.CreateCommand("ANALYZE parcels");
        await analyze.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Platform.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class PostGisApiTests(PostGisApiFixture fixture) : IClassFixture<PostGisApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Platform.Http;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Store_behind_the_api_is_postgis()
    {
        Assert.IsType<HcmCity.LandRecords.Parcels.PostGisParcelStore>(fixture.Platform.Services.GetRequiredService<IParcelStore>());
        Assert.NotNull(fixture.Platform.Services.GetService<NpgsqlDataSource>());
    }

    [Fact]
    public async Task Parcel_by_id_point_lookup_and_ogc_bbox_page_read_from_postgis()
    {
        var lot = fixture.Lots[5];
        using var byId = await Http.GetAsync($"/api/parcels/{lot.Id}?crs=EPSG:9210", Ct);
        using var feature = await ApiAssert.JsonAsync(byId, "application/geo+json");
        Assert.Equal(lot.Key.Number, feature.RootElement.GetProperty("properties").GetProperty("number").GetString());

        var centre = lot.Geometry.Centroid;
        using var at = await Http.GetAsync(Invariant($"/api/parcels/at?lon={centre.X}&lat={centre.Y}"), Ct);
        using var atJson = await ApiAssert.JsonAsync(at, "application/geo+json");
        Assert.Equal([lot.Id], ApiAssert.FeatureIds(atJson));

        var box = fixture.Patch.Bbox(-1, -1, 41, 61);
        using var items = await Http.GetAsync(Invariant($"/ogc/collections/parcels/items?bbox={box.MinX},{box.MinY},{box.MaxX},{box.MaxY}&limit=5&offset=10"), Ct);
        using var itemsJson = await ApiAssert.JsonAsync(items, "application/geo+json");
        Assert.Equal(fixture.Lots.Count, itemsJson.RootElement.GetProperty("numberMatched").GetInt64());
        Assert.Equal(fixture.Lots.Skip(10).Select(l => l.Id), ApiAssert.FeatureIds(itemsJson));
        Assert.Null(ApiAssert.Link(itemsJson.RootElement, "next"));
    }

    [Fact]
    public async Task Postgis_tile_is_served_with_etag_and_revalidates_to_304()
    {
        var centre = fixture.Lots[0].Geometry.Centroid;
        var (x, y) = TileMath.TileAt(centre.X, centre.Y, 18);
        var path = $"/tiles/parcels/18/{x}/{y}.mvt";
        using var first = await Http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEmpty(await first.Content.ReadAsByteArrayAsync(Ct));

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Map_config_bounds_come_from_the_postgis_extent_of_the_parcels()
    {
        using var response = await Http.GetAsync("/api/map/config", Ct);
        using var json = await ApiAssert.JsonAsync(response, "application/json");
        var bounds = json.RootElement.GetProperty("bounds").EnumerateArray().Select(n => n.GetDouble()).ToArray();
        var centre = fixture.Lots[5].Geometry.Centroid;
        Assert.InRange(centre.X, bounds[0], bounds[2]);
        Assert.InRange(centre.Y, bounds[1], bounds[3]);
        // The only parcels are the patch, tens of metres across, far from the city's default view.
        Assert.True(bounds[2] - bounds[0] < 0.01, $"bounds {string.Join(",", bounds)} are not the patch's");
    }
}
