namespace HcmCity.Gis.Tiles;

/// <summary>How geometries are cut and thinned for one Mapbox Vector Tile.</summary>
public sealed record VectorTileOptions
{
    /// <summary>Integer grid of the tile (MVT spec 2.1 default).</summary>
    public uint Extent { get; init; } = 4096;

    /// <summary>
    /// Margin kept around the tile, in <see cref="Extent"/> units, so polygon edges cut at the tile border are
    /// not drawn as outlines by the renderer.
    /// </summary>
    public uint Buffer { get; init; } = 64;

    /// <summary>
    /// Features whose envelope spans less than this many screen pixels (256-pixel tiles) in both directions are
    /// left out: they would not be visible and only weigh the tile.
    /// </summary>
    public double MinFeatureSizePixels { get; init; } = 1.0;

    /// <summary>Below this zoom geometries are simplified (Douglas-Peucker) before encoding.</summary>
    public int SimplifyBelowZoom { get; init; } = 16;

    /// <summary>Simplification tolerance, in screen pixels.</summary>
    public double SimplifyTolerancePixels { get; init; } = 0.5;

    public static VectorTileOptions Default { get; } = new();
}
