using HcmCity.Testing;
using System.Globalization;
using System.Text;
using HcmCity.Gis.Tiles;
using HcmCity.Tests.Shared;

namespace HcmCity.LandRecords.Tests.Api;

/// <summary>
/// Personal fields of a land record (owner, ID number, address) are restricted: no public, developer, OGC or tile
/// output may carry them. Every lot of the fixture patch has them.
/// </summary>
[Collection(ApiPlatformCollection.Name)]
public sealed class PersonalDataTests(ApiPlatformFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => fixture.Platform.Http;

    [Fact]
    public async Task No_output_carries_the_owner_name_id_number_or_address()
    {
        var lot = fixture.Lots[0];
        Assert.NotNull(lot.Personal);
        var centre = lot.Geometry.Centroid;
        var box = fixture.Patch.Bbox(-1, -1, 61, 101);
        var (x, y) = TileMath.TileAt(centre.X, centre.Y, 18);
        string[] paths =
        [
            $"/api/parcels/{lot.Id}",
            $"/api/parcels/{lot.Id}?crs=EPSG:9210",
            $"/api/parcels?unit={fixture.Patch.Unit}",
            string.Create(CultureInfo.InvariantCulture, $"/api/parcels?bbox={box.MinX},{box.MinY},{box.MaxX},{box.MaxY}"),
            string.Create(CultureInfo.InvariantCulture, $"/api/parcels/at?lon={centre.X}&lat={centre.Y}"),
            string.Create(CultureInfo.InvariantCulture, $"/ogc/collections/parcels/items?bbox={box.MinX},{box.MinY},{box.MaxX},{box.MaxY}&limit=1000"),
            $"/ogc/collections/parcels/items/{lot.Id}",
            $"/tiles/parcels/18/{x}/{y}.mvt",
        ];

        foreach (var path in paths)
        {
            using var response = await Http.GetAsync(path, Ct);
            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.True(bytes.Length > 0, $"{path} returned nothing, so it proves nothing");
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Contains(fixture.Patch.Unit, text, StringComparison.Ordinal);
            foreach (var (key, value) in ParcelFixtures.Personal)
            {
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{path} leaks {key}");
                Assert.False(text.Contains(key, StringComparison.Ordinal), $"{path} names the field {key}");
            }
        }
    }
}
