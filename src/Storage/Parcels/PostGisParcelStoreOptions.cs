using HcmCity.Gis.Tiles;

namespace HcmCity.Storage.Parcels;

public sealed class PostGisParcelStoreOptions
{
    /// <summary>
    /// Search counts matches exactly up to this many; beyond it <see cref="Gis.Parcels.ParcelPage.NumberMatched"/>
    /// is the planner's estimate (never below the cap). Counting every parcel of a city-wide bbox would
    /// read ~2.5 million index entries for each page of a map client.
    /// </summary>
    public int SearchCountCap { get; set; } = 100_000;

    /// <summary>Zoom range and encoding of parcel tiles, shared with the in-memory store.</summary>
    public ParcelTileOptions Tiles { get; set; } = ParcelTileOptions.Default;
}
