using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.LandRecords.Synthetic;
using HcmCity.Gis.Tiles;
using HcmCity.Tests.Shared;

namespace HcmCity.Gis.Tests.Synthetic;

public sealed class InMemoryParcelStoreTests : ParcelStoreContract
{
    protected override IParcelStore CreateStore() => new InMemoryParcelStore();

    [Fact]
    public async Task Ids_run_from_one_in_insertion_order()
    {
        var store = new InMemoryParcelStore();
        var fx = new ParcelFixtures();

        await store.UpsertAsync([fx.Lot("1", 1, 0, 0), fx.Lot("1", 2, 5, 0)], TestContext.Current.CancellationToken);
        await store.UpsertAsync([fx.Lot("1", 3, 10, 0)], TestContext.Current.CancellationToken);
        var page = await store.SearchAsync(new ParcelQuery(), TestContext.Current.CancellationToken);

        Assert.Equal([1L, 2L, 3L], page.Items.Select(p => p.Id));
        Assert.Equal(["1", "2", "3"], page.Items.Select(p => p.Key.Number));
    }

    [Fact]
    public async Task Tiles_below_the_parcel_zoom_are_empty_even_over_parcels()
    {
        var store = new InMemoryParcelStore();
        var city = SyntheticCity.Generate(new SyntheticCityOptions { ParcelCount = 500 });
        await store.UpsertAsync(city.Parcels.ToList(), TestContext.Current.CancellationToken);
        var centre = city.Wards[0].Boundary.Centroid;
        var (x13, y13) = TileMath.TileAt(centre.X, centre.Y, 13);
        var (x16, y16) = TileMath.TileAt(centre.X, centre.Y, 16);

        Assert.Empty(await store.GetTileAsync(13, x13, y13, TestContext.Current.CancellationToken));
        Assert.NotEmpty(await store.GetTileAsync(16, x16, y16, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_lose_no_parcel()
    {
        var store = new InMemoryParcelStore();
        var fixtures = Enumerable.Range(0, 8).Select(_ => new ParcelFixtures()).ToList();

        await Task.WhenAll(fixtures.Select(fx => Task.Run(async () =>
        {
            for (var n = 1; n <= 50; n++)
            {
                await store.UpsertAsync([fx.Lot("1", n, n * 6, 0)]);
                var (lon, lat) = fx.LonLat(n * 6 + 2, 10);
                Assert.Single(await store.AtAsync(lon, lat));
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(400, await store.CountAsync(TestContext.Current.CancellationToken));
        var ids = (await store.SearchAsync(new ParcelQuery(Limit: 1000), TestContext.Current.CancellationToken)).Items.Select(p => p.Id);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), ids);
    }
}
