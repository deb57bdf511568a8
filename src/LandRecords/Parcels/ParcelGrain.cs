using HcmCity.Abstractions;
using HcmCity.Abstractions.Parcels;
using HcmCity.Gis.Parcels;
using Orleans.Runtime;

namespace HcmCity.LandRecords.Parcels;

/// <summary>
/// Caches a parcel's land record from the <see cref="IParcelStore"/> (the system of record) and persists the
/// permits and sites attached to it in grain storage.
/// </summary>
public sealed class ParcelGrain(
    [PersistentState("parcel", GrainStorage.Name)] IPersistentState<ParcelGrainState> state,
    IParcelStore store) : Grain, IParcelGrain
{
    private ParcelSummary? _record;
    private bool _loaded;

    public async Task<ParcelSummary?> GetAsync()
    {
        if (!_loaded)
        {
            var parcel = await store.GetAsync(this.GetPrimaryKeyLong());
            _record = parcel is null ? null : ToSummary(parcel);
            _loaded = true;
        }
        return _record;
    }

    public Task AttachPermitAsync(string permitNumber) => AttachAsync(state.State.Permits, permitNumber);

    public Task AttachSiteAsync(string siteId) => AttachAsync(state.State.Sites, siteId);

    public Task<ParcelLinks> GetLinksAsync() =>
        Task.FromResult(new ParcelLinks([.. state.State.Permits], [.. state.State.Sites]));

    private async Task AttachAsync(SortedSet<string> set, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (set.Add(value))
        {
            await state.WriteStateAsync();
        }
    }

    internal static ParcelSummary ToSummary(Parcel parcel)
    {
        var centroid = parcel.Geometry.InteriorPoint;
        return new ParcelSummary(
            parcel.Id, parcel.Key.Unit, parcel.Key.Sheet, parcel.Key.Number, parcel.LandUse,
            parcel.Area, parcel.RegisteredArea, parcel.SourceSrid, centroid.X, centroid.Y);
    }
}
