using HcmCity.Gis.Tiles;

namespace HcmCity.Gis.Tests.Tiles;

public sealed class TileMathTests
{
    [Fact]
    public void Zoom_zero_tile_covers_the_web_mercator_world()
    {
        var lonLat = TileMath.LonLatBounds(0, 0, 0);
        var metres = TileMath.WebMercatorBounds(0, 0, 0);

        Assert.Equal(-180, lonLat.MinX, 9);
        Assert.Equal(180, lonLat.MaxX, 9);
        Assert.Equal(TileMath.MaxLatitude, lonLat.MaxY, 9);
        Assert.Equal(-TileMath.MaxLatitude, lonLat.MinY, 9);
        Assert.Equal(-20037508.342789244, metres.MinX, 3);
        Assert.Equal(20037508.342789244, metres.MaxY, 3);
    }

    [Fact]
    public void Ben_thanh_market_lies_in_the_osm_tile_of_its_coordinates()
    {
        // OSM slippy-map formula for 106.6981 E, 10.7725 N at zoom 16: x = 52191, y = 30795.
        var (x, y) = TileMath.TileAt(106.6981, 10.7725, 16);
        var bounds = TileMath.LonLatBounds(16, x, y);

        Assert.Equal((52191, 30795), (x, y));
        Assert.True(bounds.Contains(106.6981, 10.7725));
    }

    [Fact]
    public void Lon_lat_and_web_mercator_round_trip()
    {
        var (mx, my) = TileMath.LonLatToWebMercator(106.7, 10.77);
        var (lon, lat) = TileMath.WebMercatorToLonLat(mx, my);

        Assert.Equal(106.7, lon, 10);
        Assert.Equal(10.77, lat, 10);
        Assert.Equal(11877789.668, mx, 3);
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(25, 0, 0)]
    [InlineData(3, 8, 0)]
    [InlineData(3, 0, -1)]
    public void Tiles_outside_the_pyramid_are_rejected(int z, int x, int y) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TileMath.LonLatBounds(z, x, y));
}
