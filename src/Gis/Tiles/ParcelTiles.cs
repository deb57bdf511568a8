using HcmCity.Gis.Parcels;

namespace HcmCity.Gis.Tiles;

/// <summary>
/// The "parcels" layer of the web map, shared by every <see cref="IParcelStore"/>. Carries only public fields:
/// <see cref="Parcel.Personal"/> never reaches a tile.
/// </summary>
public static class ParcelTiles
{
    public const string LayerName = "parcels";

    /// <summary>Attribute names of a parcel feature, besides "id".</summary>
    public static IReadOnlyList<string> AttributeNames { get; } = ["unit", "sheet", "number", "landUse", "lu", "area"];

    /// <summary>The tile feature of a parcel: key parts, full and principal land-use code, area to 0.1 m².</summary>
    public static TileFeature Feature(Parcel parcel)
    {
        ArgumentNullException.ThrowIfNull(parcel);
        return new TileFeature(
            parcel.Id,
            parcel.Geometry,
            [
                new("unit", parcel.Key.Unit),
                new("sheet", parcel.Key.Sheet),
                new("number", parcel.Key.Number),
                new("landUse", parcel.LandUse),
                new("lu", LandUseCodes.Principal(parcel.LandUse)),
                new("area", Math.Round(parcel.Area, 1)),
            ]);
    }

    /// <summary>
    /// The tile for z/x/y from the parcels a store found in <see cref="VectorTileBuilder.QueryEnvelope"/>;
    /// empty below <see cref="ParcelTileOptions.MinZoom"/> or when nothing is visible.
    /// </summary>
    public static byte[] Build(int z, int x, int y, IEnumerable<Parcel> parcels, ParcelTileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        options ??= ParcelTileOptions.Default;
        TileMath.Validate(z, x, y);
        return z < options.MinZoom
            ? []
            : VectorTileBuilder.Build(z, x, y, LayerName, parcels.Select(Feature), options.Tile);
    }
}

public sealed record ParcelTileOptions
{
    /// <summary>
    /// Lowest zoom that carries parcels. At zoom 13 a pixel is ~19 m in HCMC, wider than a 4-5 m row-house lot,
    /// so lower zooms would ship tens of thousands of invisible lots; the map shows ward boundaries there.
    /// </summary>
    public int MinZoom { get; init; } = 14;

    public VectorTileOptions Tile { get; init; } = VectorTileOptions.Default;

    public static ParcelTileOptions Default { get; } = new();
}
