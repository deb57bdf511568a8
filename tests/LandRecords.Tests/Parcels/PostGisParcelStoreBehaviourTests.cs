using System.Text;
using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Gis.Tiles;
using HcmCity.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace HcmCity.LandRecords.Tests.Parcels;

/// <summary>What the PostGIS store does beyond the shared contract: COPY upserts, privacy, tiles, counting.</summary>
public sealed class PostGisParcelStoreBehaviourTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string Owner = "Nguyễn Văn Bí Mật";
    private const string IdNumber = "079190001234";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await using var truncate = fixture.Database.DataSource.CreateCommand("TRUNCATE parcels RESTART IDENTITY");
        await truncate.ExecuteNonQueryAsync(Ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Importing_the_same_parcels_twice_updates_every_one_and_keeps_their_ids()
    {
        var store = new PostGisParcelStore(fixture.Database.DataSource);
        var parcels = TestParcels.Row("26734", 200);

        var first = await store.UpsertAsync(parcels, Ct);
        var idsAfterFirst = await IdsByNumberAsync(store);
        var second = await store.UpsertAsync(parcels.Select(p => p with { LandUse = "TMD" }).ToList(), Ct);

        Assert.Equal(new UpsertResult(200, 0), first);
        Assert.Equal(new UpsertResult(0, 200), second);
        Assert.Equal(200L, await store.CountAsync(Ct));
        Assert.Equal(idsAfterFirst, await IdsByNumberAsync(store));
        var page = await store.SearchAsync(new ParcelQuery(Unit: "26734", Limit: 500), Ct);
        Assert.All(page.Items, p => Assert.Equal("TMD", p.LandUse));
    }

    [Fact]
    public async Task A_key_repeated_in_one_batch_is_stored_once_with_its_last_values()
    {
        var store = new PostGisParcelStore(fixture.Database.DataSource);
        var parcels = TestParcels.Row("26734", 3);
        var batch = parcels.Append(parcels[1] with { LandUse = "ONT+CLN" }).ToList();

        var result = await store.UpsertAsync(batch, Ct);

        Assert.Equal(new UpsertResult(3, 1), result);
        Assert.Equal(3L, await store.CountAsync(Ct));
        var stored = Assert.Single((await store.SearchAsync(new ParcelQuery(Unit: "26734", Number: "2"), Ct)).Items);
        Assert.Equal("ONT+CLN", stored.LandUse);
    }

    [Fact]
    public async Task Source_geometry_comes_back_in_its_VN2000_zone_and_the_parcel_is_found_at_its_centre()
    {
        var store = new PostGisParcelStore(fixture.Database.DataSource);
        var parcel = TestParcels.Row("26734", 1, side: 12.5)[0];
        await store.UpsertAsync([parcel], Ct);
        var (lon, lat) = TestParcels.Centre(parcel);

        var found = Assert.Single(await store.AtAsync(lon, lat, Ct));

        Assert.Equal(parcel.Key, found.Key);
        Assert.Equal(Srid.HcmcTm3, found.SourceSrid);
        Assert.Equal(Srid.HcmcTm3, found.SourceGeometry.SRID);
        Assert.Equal(Srid.Wgs84, found.Geometry.SRID);
        Assert.True(found.SourceGeometry.EqualsExact(parcel.SourceGeometry), "source geometry changed on the way");
        Assert.Equal(156.25, found.Area, 6);
        Assert.Equal(156.0, found.RegisteredArea);
        Assert.Empty(await store.AtAsync(lon + 0.01, lat, Ct));
    }

    [Fact]
    public async Task Personal_fields_are_read_only_by_GetPersonalAsync_never_by_queries_or_tiles()
    {
        var store = new PostGisParcelStore(fixture.Database.DataSource);
        var parcels = TestParcels.Row("26734", 5, personal: i => new Dictionary<string, string>
        {
            ["owner"] = Owner,
            ["idNumber"] = IdNumber + i,
        });
        await store.UpsertAsync(parcels, Ct);
        var (lon, lat) = TestParcels.Centre(parcels[0]);
        var id = Assert.Single(await store.AtAsync(lon, lat, Ct)).Id;

        var personal = await store.GetPersonalAsync(id, Ct);
        Assert.NotNull(personal);
        Assert.Equal(Owner, personal["owner"]);
        Assert.Equal(IdNumber + "0", personal["idNumber"]);

        Assert.Null((await store.GetAsync(id, Ct))!.Personal);
        Assert.All((await store.AtAsync(lon, lat, Ct)), p => Assert.Null(p.Personal));
        var page = await store.SearchAsync(new ParcelQuery(Bbox: Bbox(parcels)), Ct);
        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, p => Assert.Null(p.Personal));

        var (x, y) = TileMath.TileAt(lon, lat, 17);
        var tile = await store.GetTileAsync(17, x, y, Ct);
        Assert.NotEmpty(tile);
        Assert.DoesNotContain(Owner, Encoding.UTF8.GetString(tile), StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber, Encoding.UTF8.GetString(tile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_without_personal_fields_clears_them()
    {
        var store = new PostGisParcelStore(fixture.Database.DataSource);
        var parcels = TestParcels.Row("26734", 1, personal: _ => new Dictionary<string, string> { ["owner"] = Owner });
        await store.UpsertAsync(parcels, Ct);
        var id = (await store.SearchAsync(new ParcelQuery(Unit: "26734"), Ct)).Items[0].Id;

        await store.UpsertAsync([parcels[0] with { Personal = null }], Ct);

        Assert.Null(await store.GetPersonalAsync(id, Ct));
    }

    [Fact]
    public async Task Tile_has_a_parcels_layer_with_the_public_attributes_and_parcel_ids()
    {
        var store = new PostGisParcelStore(fixture.Database.DataSource);
        var parcels = TestParcels.Row("26734", 3, landUse: "ONT+CLN", side: 15.04);
        await store.UpsertAsync(parcels, Ct);
        var ids = (await store.SearchAsync(new ParcelQuery(Unit: "26734"), Ct)).Items.Select(p => p.Id).ToHashSet();
        var (lon, lat) = TestParcels.Centre(parcels[1]);
        var (x, y) = TileMath.TileAt(lon, lat, 18);

        var bytes = await store.GetTileAsync(18, x, y, Ct);

        using var stream = new MemoryStream(bytes);
        var tile = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, 18));
        var layer = Assert.Single(tile.Layers);
        Assert.Equal(ParcelTiles.LayerName, layer.Name);
        Assert.NotEmpty(layer.Features);
        foreach (var feature in layer.Features)
        {
            Assert.Equal(
                ["area", "id", "landUse", "lu", "number", "sheet", "unit"],
                feature.Attributes.GetNames().Order(StringComparer.Ordinal));
            Assert.Contains(Convert.ToInt64(feature.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture), ids);
            Assert.Equal("ONT+CLN", feature.Attributes["landUse"]);
            Assert.Equal("ONT", feature.Attributes["lu"]);
            Assert.Equal(226.2, Convert.ToDouble(feature.Attributes["area"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("26734", feature.Attributes["unit"]);
        }
    }

    [Fact]
    public async Task Tiles_below_the_minimum_zoom_or_away_from_parcels_are_empty()
    {
        var store = new PostGisParcelStore(fixture.Database.DataSource);
        var parcels = TestParcels.Row("26734", 3);
        await store.UpsertAsync(parcels, Ct);
        var (lon, lat) = TestParcels.Centre(parcels[0]);
        var minZoom = ParcelTileOptions.Default.MinZoom;
        var (x, y) = TileMath.TileAt(lon, lat, minZoom - 1);
        var (x17, y17) = TileMath.TileAt(lon, lat, 17);

        Assert.Empty(await store.GetTileAsync(minZoom - 1, x, y, Ct));
        Assert.NotEmpty(await store.GetTileAsync(17, x17, y17, Ct));
        Assert.Empty(await store.GetTileAsync(17, x17 + 5, y17, Ct));
    }

    [Fact]
    public async Task Search_counts_exactly_up_to_the_cap_and_estimates_beyond_it()
    {
        var parcels = TestParcels.Row("26734", 30);
        await new PostGisParcelStore(fixture.Database.DataSource).UpsertAsync(parcels, Ct);
        var query = new ParcelQuery(Bbox: Bbox(parcels), Limit: 5);

        var exact = await new PostGisParcelStore(fixture.Database.DataSource).SearchAsync(query, Ct);
        var capped = await new PostGisParcelStore(
            fixture.Database.DataSource, new PostGisParcelStoreOptions { SearchCountCap = 10 }).SearchAsync(query, Ct);

        Assert.Equal(30L, exact.NumberMatched);
        Assert.Equal(5, exact.Items.Count);
        Assert.True(capped.NumberMatched > 10, $"capped count {capped.NumberMatched} should exceed the cap");
        Assert.Equal(exact.Items.Select(p => p.Id), capped.Items.Select(p => p.Id));
    }

    private static Envelope Bbox(IEnumerable<Parcel> parcels)
    {
        var envelope = new Envelope();
        foreach (var parcel in parcels)
        {
            envelope.ExpandToInclude(parcel.Geometry.EnvelopeInternal);
        }

        return envelope;
    }

    private async Task<Dictionary<string, long>> IdsByNumberAsync(PostGisParcelStore store)
    {
        var page = await store.SearchAsync(new ParcelQuery(Limit: 10_000), Ct);
        return page.Items.ToDictionary(p => p.Key.Number, p => p.Id);
    }
}
