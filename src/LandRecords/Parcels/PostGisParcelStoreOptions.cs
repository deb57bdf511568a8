using HcmCity.Gis.Tiles;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Parcels;

public sealed class PostGisParcelStoreOptions
{
    /// <summary>
    /// Search counts matches exactly up to this many; beyond it <see cref="Gis.Parcels.ParcelPage.NumberMatched"/>
    /// is the planner's estimate (never below the cap + 1). Counting every parcel of a city-wide bbox reads
    /// ~2.5 million rows (about a second) for each page a map client asks for; 10,000 costs tens of milliseconds
    /// and is more than any client pages through.
    /// </summary>
    public int SearchCountCap { get; set; } = 10_000;

    /// <summary>Zoom range and encoding of parcel tiles, shared with the in-memory store.</summary>
    public ParcelTileOptions Tiles { get; set; } = ParcelTileOptions.Default;
}
