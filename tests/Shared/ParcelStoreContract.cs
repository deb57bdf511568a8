using HcmCity.Gis.Parcels;
using HcmCity.Gis.Tiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using NtsTile = NetTopologySuite.IO.VectorTiles.Tiles.Tile;

namespace HcmCity.Tests.Shared;

/// <summary>
/// What every <see cref="IParcelStore"/> must do, run against the in-memory store (HcmCity.Gis.Tests) and the
/// PostGIS store (LandRecords.Tests/Parcels). Each test works in its own unit and patch of ground
/// (<see cref="ParcelFixtures"/>), so the suite can share a database with other tests and earlier runs.
/// </summary>
public abstract class ParcelStoreContract
{
    protected abstract IParcelStore CreateStore();

    private static readonly HashSet<string> PublicAttributes = ["id", "unit", "sheet", "number", "landUse", "lu", "area"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upsert_inserts_new_keys_then_updates_existing_ones_keeping_their_ids()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        var first = await store.UpsertAsync([fx.Lot("1", 1, 0, 0), fx.Lot("1", 2, 10, 0)], Ct);
        var ids = (await store.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items.Select(p => p.Id).ToList();

        var second = await store.UpsertAsync(
            [fx.Lot("1", 1, 0, 0, landUse: "TMD"), fx.Lot("1", 2, 10, 0), fx.Lot("1", 3, 20, 0)], Ct);
        var after = (await store.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items;

        Assert.Equal(new UpsertResult(2, 0), first);
        Assert.Equal(new UpsertResult(1, 2), second);
        Assert.Equal(3, after.Count);
        Assert.Equal(ids, after.Take(2).Select(p => p.Id));
        Assert.Equal("TMD", after.Single(p => p.Key.Number == "1").LandUse);
        Assert.True(after[2].Id > ids.Max());
    }

    [Fact]
    public async Task Get_returns_the_stored_parcel_with_both_geometries_and_null_for_an_unknown_id()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        var lot = fx.Lot("7", 42, 0, 0, width: 6, depth: 18.5, landUse: "ONT+CLN");
        await store.UpsertAsync([lot], Ct);
        var id = (await store.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items.Single().Id;

        var got = await store.GetAsync(id, Ct);
        var missing = await store.GetAsync(long.MaxValue, Ct);

        Assert.NotNull(got);
        Assert.Equal(id, got.Id);
        Assert.Equal(lot.Key, got.Key);
        Assert.Equal("ONT+CLN", got.LandUse);
        Assert.Equal(111.0, got.RegisteredArea);
        Assert.Equal(111.0, got.Area, 3);
        Assert.Equal(9210, got.SourceSrid);
        Assert.Equal(9210, got.SourceGeometry.SRID);
        Assert.Equal(4326, got.Geometry.SRID);
        Assert.True(got.SourceGeometry.EqualsExact(lot.SourceGeometry, 0.001));
        Assert.True(got.Geometry.EqualsExact(lot.Geometry, 1e-8));
        Assert.Null(missing);
    }

    [Fact]
    public async Task At_finds_the_parcel_containing_the_point_and_none_beside_it()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        await store.UpsertAsync([fx.Lot("1", 1, 0, 0), fx.Lot("1", 2, 5, 0)], Ct);

        var (lon, lat) = fx.LonLat(7.5, 10);
        var inside = Mine(await store.AtAsync(lon, lat, Ct), fx);
        (lon, lat) = fx.LonLat(15, 10);
        var outside = Mine(await store.AtAsync(lon, lat, Ct), fx);

        Assert.Equal("2", Assert.Single(inside).Key.Number);
        Assert.Empty(outside);
    }

    [Fact]
    public async Task At_does_not_find_a_parcel_inside_its_hole()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        await store.UpsertAsync([fx.LotWithHole("1", 1, 0, 0)], Ct);

        var (lon, lat) = fx.LonLat(15, 15);
        var inHole = Mine(await store.AtAsync(lon, lat, Ct), fx);
        (lon, lat) = fx.LonLat(5, 15);
        var onRing = Mine(await store.AtAsync(lon, lat, Ct), fx);

        Assert.Empty(inHole);
        Assert.Single(onRing);
    }

    [Fact]
    public async Task Search_filters_by_unit_sheet_and_number()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        await store.UpsertAsync(
            [fx.Lot("1", 1, 0, 0), fx.Lot("1", 2, 5, 0), fx.Lot("2", 1, 10, 0), fx.Lot("2", 2, 15, 0), fx.Lot("2", 3, 20, 0)],
            Ct);

        var unit = await store.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct);
        var sheet = await store.SearchAsync(new ParcelQuery(Unit: fx.Unit, Sheet: "2"), Ct);
        var one = await store.SearchAsync(new ParcelQuery(Unit: fx.Unit, Sheet: "2", Number: "3"), Ct);
        var none = await store.SearchAsync(new ParcelQuery(Unit: fx.Unit, Sheet: "3"), Ct);

        Assert.Equal(5, unit.NumberMatched);
        Assert.Equal(["1", "2", "3"], sheet.Items.Select(p => p.Key.Number));
        Assert.Equal(3, sheet.NumberMatched);
        Assert.Equal(new ParcelKey(fx.Unit, "2", "3"), Assert.Single(one.Items).Key);
        Assert.Empty(none.Items);
        Assert.Equal(0, none.NumberMatched);
    }

    [Fact]
    public async Task Search_by_bbox_returns_only_parcels_intersecting_it()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        await store.UpsertAsync([fx.Lot("1", 1, 0, 0), fx.Lot("1", 2, 100, 0), fx.Lot("1", 3, 200, 0)], Ct);

        var around = await store.SearchAsync(new ParcelQuery(Bbox: fx.Bbox(90, -10, 210, 30)), Ct);
        var mine = around.Items.Where(p => p.Key.Unit == fx.Unit).Select(p => p.Key.Number);
        var unitAndBox = await store.SearchAsync(new ParcelQuery(Bbox: fx.Bbox(-10, -10, 50, 30), Unit: fx.Unit), Ct);
        var empty = await store.SearchAsync(new ParcelQuery(Bbox: fx.Bbox(30, 40, 60, 80), Unit: fx.Unit), Ct);

        Assert.Equal(["2", "3"], mine);
        Assert.Equal("1", Assert.Single(unitAndBox.Items).Key.Number);
        Assert.Equal(1, unitAndBox.NumberMatched);
        Assert.Empty(empty.Items);
    }

    [Fact]
    public async Task Search_pages_in_id_order_and_counts_all_matches()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        var lots = Enumerable.Range(1, 7).Select(n => fx.Lot("1", n, n * 5, 0)).ToList();
        await store.UpsertAsync(lots, Ct);
        var all = (await store.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items;

        var page1 = await store.SearchAsync(new ParcelQuery(Unit: fx.Unit, Limit: 3), Ct);
        var page3 = await store.SearchAsync(new ParcelQuery(Unit: fx.Unit, Limit: 3, Offset: 6), Ct);
        var beyond = await store.SearchAsync(new ParcelQuery(Unit: fx.Unit, Limit: 3, Offset: 10), Ct);

        Assert.Equal(all.Select(p => p.Id).Order(), all.Select(p => p.Id));
        Assert.Equal(all.Take(3).Select(p => p.Id), page1.Items.Select(p => p.Id));
        Assert.Equal(7, page1.NumberMatched);
        Assert.Equal(all[6].Id, Assert.Single(page3.Items).Id);
        Assert.Equal(7, page3.NumberMatched);
        Assert.Empty(beyond.Items);
        Assert.Equal(7, beyond.NumberMatched);
    }

    [Fact]
    public async Task Tile_carries_the_parcel_id_and_public_fields_but_no_personal_data()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        await store.UpsertAsync([fx.Lot("4", 17, 0, 0, width: 8, depth: 25, landUse: "ODT+TMD")], Ct);
        var id = (await store.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items.Single().Id;
        var (lon, lat) = fx.LonLat(4, 12.5);
        var (x, y) = TileMath.TileAt(lon, lat, 18);

        var bytes = await store.GetTileAsync(18, x, y, Ct);
        var tile = new MapboxTileReader().Read(new MemoryStream(bytes), new NtsTile(x, y, 18));

        var layer = Assert.Single(tile.Layers, l => l.Name == "parcels");
        var feature = Assert.Single(layer.Features, f => Equals(f.Attributes["unit"], fx.Unit));
        Assert.Equal(id, Convert.ToInt64(feature.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("4", feature.Attributes["sheet"]);
        Assert.Equal("17", feature.Attributes["number"]);
        Assert.Equal("ODT+TMD", feature.Attributes["landUse"]);
        Assert.Equal("ODT", feature.Attributes["lu"]);
        Assert.Equal(200.0, Convert.ToDouble(feature.Attributes["area"], System.Globalization.CultureInfo.InvariantCulture), 1);
        Assert.True(feature.Geometry.Contains(feature.Geometry.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(lon, lat))));
        foreach (var f in layer.Features)
        {
            Assert.Subset(PublicAttributes, f.Attributes.GetNames().ToHashSet());
            foreach (var value in f.Attributes.GetValues())
            {
                Assert.DoesNotContain(value?.ToString() ?? "", ParcelFixtures.Personal.Values);
            }
        }
    }

    [Fact]
    public async Task Tile_without_parcels_is_empty()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        await store.UpsertAsync([fx.Lot("1", 1, 0, 0)], Ct);

        // South Pacific, far from any fixture patch.
        var (x, y) = TileMath.TileAt(-150, -50, 18);
        var bytes = await store.GetTileAsync(18, x, y, Ct);

        Assert.Empty(bytes);
    }

    [Fact]
    public async Task Count_grows_by_the_inserted_parcels_only()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        var before = await store.CountAsync(Ct);
        await store.UpsertAsync([fx.Lot("1", 1, 0, 0), fx.Lot("1", 2, 5, 0), fx.Lot("1", 3, 10, 0)], Ct);
        var after = await store.CountAsync(Ct);

        // Other tests may insert at the same time into a shared database, so the growth is at least ours.
        Assert.True(after - before >= 3, $"count went from {before} to {after}");
    }

    [Fact]
    public async Task Upsert_of_a_moved_parcel_is_found_at_its_new_place_only()
    {
        var store = CreateStore();
        var fx = new ParcelFixtures();
        await store.UpsertAsync([fx.Lot("1", 1, 0, 0)], Ct);
        await store.UpsertAsync([fx.Lot("1", 1, 100, 0)], Ct);

        var (lon, lat) = fx.LonLat(2.5, 10);
        var old = Mine(await store.AtAsync(lon, lat, Ct), fx);
        (lon, lat) = fx.LonLat(102.5, 10);
        var moved = Mine(await store.AtAsync(lon, lat, Ct), fx);

        Assert.Empty(old);
        Assert.Equal("1", Assert.Single(moved).Key.Number);
    }

    private static List<Parcel> Mine(IReadOnlyList<Parcel> parcels, ParcelFixtures fx) =>
        parcels.Where(p => p.Key.Unit == fx.Unit).ToList();
}
