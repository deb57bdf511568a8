using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Parcels;

[GenerateSerializer]
public sealed class ParcelGrainState
{
    [Id(0)]
    public SortedSet<string> Permits { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public SortedSet<string> Sites { get; set; } = new(StringComparer.Ordinal);
}
