namespace HcmCity.Abstractions.Parcels;

/// <summary>
/// One cadastral parcel (thửa đất), keyed by its store id. Caches the land record and knows which permits and
/// construction sites are attached to it, so a permit officer or inspector sees a parcel's whole story at once.
/// </summary>
public interface IParcelGrain : IGrainWithIntegerKey
{
    /// <summary>The land record, or null when no parcel has this id.</summary>
    Task<ParcelSummary?> GetAsync();

    Task AttachPermitAsync(string permitNumber);

    Task AttachSiteAsync(string siteId);

    Task<ParcelLinks> GetLinksAsync();
}

/// <summary>The public part of a land record (no personal data), as grains pass it around.</summary>
[GenerateSerializer, Immutable]
public sealed record ParcelSummary(
    [property: Id(0)] long Id,
    [property: Id(1)] string Unit,
    [property: Id(2)] string Sheet,
    [property: Id(3)] string Number,
    [property: Id(4)] string LandUse,
    [property: Id(5)] double Area,
    [property: Id(6)] double? RegisteredArea,
    [property: Id(7)] int SourceSrid,
    [property: Id(8)] double CentroidLon,
    [property: Id(9)] double CentroidLat);

/// <summary>Permits (số giấy phép) and construction sites attached to a parcel.</summary>
[GenerateSerializer, Immutable]
public sealed record ParcelLinks(
    [property: Id(0)] IReadOnlyList<string> Permits,
    [property: Id(1)] IReadOnlyList<string> Sites);
