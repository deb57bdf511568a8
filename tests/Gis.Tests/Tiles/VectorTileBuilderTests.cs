using HcmCity.Gis.Tiles;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using NtsTile = NetTopologySuite.IO.VectorTiles.Tiles.Tile;

namespace HcmCity.Gis.Tests.Tiles;

public sealed class VectorTileBuilderTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    [Fact]
    public void Features_round_trip_with_their_id_attributes_and_shape()
    {
        var (x, y) = TileMath.TileAt(106.70005, 10.77005, 18);
        var lot = Box(106.7, 10.77, 106.7001, 10.7701);

        var bytes = VectorTileBuilder.Build(18, x, y, "parcels", [Feature(42, lot, ("lu", "ODT"), ("area", 12.5))]);
        var feature = Read(bytes, 18, x, y).Single();

        Assert.Equal(42L, Convert.ToInt64(feature.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ODT", feature.Attributes["lu"]);
        Assert.Equal(12.5, feature.Attributes["area"]);
        Assert.Equal(lot.Area, feature.Geometry.Area, lot.Area * 0.01);
    }

    [Fact]
    public void A_feature_crossing_the_tile_edge_is_cut_to_the_tile_and_its_buffer()
    {
        var (x, y) = TileMath.TileAt(106.7, 10.77, 18);
        var tile = TileMath.LonLatBounds(18, x, y);
        var wide = Box(tile.MinX - 0.01, tile.MinY + tile.Height / 4, tile.MaxX + 0.01, tile.MaxY - tile.Height / 4);

        var feature = Read(VectorTileBuilder.Build(18, x, y, "parcels", [Feature(1, wide)]), 18, x, y).Single();

        var buffer = tile.Width * 64 / 4096;
        Assert.InRange(feature.Geometry.EnvelopeInternal.MinX, tile.MinX - buffer * 1.01, tile.MinX - buffer * 0.99);
        Assert.InRange(feature.Geometry.EnvelopeInternal.MaxX, tile.MaxX + buffer * 0.99, tile.MaxX + buffer * 1.01);
    }

    [Fact]
    public void Features_too_small_to_see_are_left_out_and_leave_an_empty_tile()
    {
        var (x, y) = TileMath.TileAt(106.7, 10.77, 14);
        var speck = Box(106.7, 10.77, 106.70001, 10.77001);

        Assert.Empty(VectorTileBuilder.Build(14, x, y, "parcels", [Feature(1, speck)]));
        Assert.NotEmpty(VectorTileBuilder.Build(20, TileMath.TileAt(106.7, 10.77, 20).X, TileMath.TileAt(106.7, 10.77, 20).Y, "parcels", [Feature(1, speck)]));
    }

    [Fact]
    public void Features_outside_the_tile_give_an_empty_tile()
    {
        var (x, y) = TileMath.TileAt(106.7, 10.77, 16);

        Assert.Empty(VectorTileBuilder.Build(16, x, y, "parcels", [Feature(1, Box(107.5, 11.5, 107.6, 11.6))]));
        Assert.Empty(VectorTileBuilder.Build(16, x, y, "parcels", []));
    }

    [Fact]
    public void Low_zoom_tiles_simplify_detailed_outlines()
    {
        var (x, y) = TileMath.TileAt(106.7, 10.77, 12);
        var tile = TileMath.LonLatBounds(12, x, y);
        var radius = tile.Width / 4;
        var ring = new Coordinate[401];
        for (var i = 0; i < 400; i++)
        {
            var a = 2 * Math.PI * i / 400;
            ring[i] = new Coordinate(tile.Centre.X + radius * Math.Cos(a), tile.Centre.Y + radius * Math.Sin(a));
        }

        ring[400] = ring[0];
        var detailed = Wgs84.CreatePolygon(ring);

        var low = Read(VectorTileBuilder.Build(12, x, y, "wards", [Feature(1, detailed)]), 12, x, y).Single();

        Assert.True(low.Geometry.NumPoints < 200, $"{low.Geometry.NumPoints} points");
        Assert.Equal(detailed.Area, low.Geometry.Area, detailed.Area * 0.02);
    }

    private static Polygon Box(double minX, double minY, double maxX, double maxY) =>
        (Polygon)Wgs84.ToGeometry(new Envelope(minX, maxX, minY, maxY));

    private static TileFeature Feature(long id, Geometry geometry, params (string Key, object Value)[] attributes) =>
        new(id, geometry, attributes.Select(a => new KeyValuePair<string, object>(a.Key, a.Value)).ToList());

    private static IList<NetTopologySuite.Features.IFeature> Read(byte[] bytes, int z, int x, int y) =>
        new MapboxTileReader().Read(new MemoryStream(bytes), new NtsTile(x, y, z)).Layers.Single().Features;
}
