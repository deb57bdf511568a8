namespace HcmCity.Abstractions.Sites;

/// <summary>A change pushed to live map clients: a site's status or one of its alerts.</summary>
/// <param name="Kind">"siteStatus" or "alert" (the SignalR method name).</param>
[GenerateSerializer, Immutable]
public sealed record SiteEvent(
    [property: Id(0)] string Kind,
    [property: Id(1)] string SiteId,
    [property: Id(2)] string Ward,
    [property: Id(3)] double Lon,
    [property: Id(4)] double Lat,
    [property: Id(5)] SiteStatus Status,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] AlertView? Alert)
{
    public const string StatusKind = "siteStatus";
    public const string AlertKind = "alert";
}

/// <summary>An API host's SignalR hub, as the notifier reaches it (GPSTracker's RemoteLocationHub).</summary>
public interface ISiteEventsObserver : IGrainObserver
{
    /// <summary>One-way: a slow or vanished host must not hold up the notifier.</summary>
    [Orleans.Concurrency.OneWay]
    Task OnSiteEventsAsync(IReadOnlyList<SiteEvent> events);
}

/// <summary>The API hosts currently listening (key 0). Hosts re-register every few seconds; silent ones expire.</summary>
public interface ILiveHubRegistryGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(string hostId, ISiteEventsObserver observer);

    Task<IReadOnlyList<ISiteEventsObserver>> GetObserversAsync();
}

/// <summary>Batches site events to every API host (key 0; a stateless worker on each silo).</summary>
public interface ISiteEventNotifierGrain : IGrainWithIntegerKey
{
    Task NotifyAsync(SiteEvent siteEvent);
}
