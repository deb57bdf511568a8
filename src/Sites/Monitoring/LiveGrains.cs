using HcmCity.Abstractions.Sites;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace HcmCity.Sites.Monitoring;

/// <summary>
/// The API hosts listening for site events. Hosts are identified by id and last registration, not by silo,
/// because an API process may be an Orleans client; one that stops re-registering expires.
/// </summary>
public sealed class LiveHubRegistryGrain(TimeProvider time) : Grain, ILiveHubRegistryGrain
{
    /// <summary>Three missed re-registrations (hosts register every 5 s).</summary>
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, (ISiteEventsObserver Observer, DateTimeOffset Seen)> _hosts = new(StringComparer.Ordinal);

    public Task RegisterAsync(string hostId, ISiteEventsObserver observer)
    {
        _hosts[hostId] = (observer, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ISiteEventsObserver>> GetObserversAsync()
    {
        var now = time.GetUtcNow();
        foreach (var stale in _hosts.Where(h => now - h.Value.Seen > Expiry).Select(h => h.Key).ToList())
        {
            _hosts.Remove(stale);
        }
        return Task.FromResult<IReadOnlyList<ISiteEventsObserver>>(_hosts.Values.Select(h => h.Observer).ToList());
    }
}

/// <summary>
/// Batches site events to every API host on a short timer (GPSTracker's PushNotifierGrain): one call per host per
/// batch, never one per event. A stateless worker, so each silo batches its own sites' events locally.
/// </summary>
[StatelessWorker(1)]
public sealed class SiteEventNotifierGrain(ILogger<SiteEventNotifierGrain> logger) : Grain, ISiteEventNotifierGrain
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan RefreshHostsEvery = TimeSpan.FromSeconds(2);
    private const int MaxBatch = 100;

    private readonly List<SiteEvent> _queue = [];
    private IReadOnlyList<ISiteEventsObserver> _hosts = [];
    private DateTime _hostsRefreshed = DateTime.MinValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions { DueTime = FlushEvery, Period = FlushEvery, Interleave = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public async Task NotifyAsync(SiteEvent siteEvent)
    {
        _queue.Add(siteEvent);
        if (_queue.Count >= MaxBatch)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_queue.Count == 0)
        {
            return;
        }
        var batch = _queue.ToList();
        _queue.Clear();
        if (_hosts.Count == 0 || DateTime.UtcNow - _hostsRefreshed > RefreshHostsEvery)
        {
            _hosts = await GrainFactory.GetGrain<ILiveHubRegistryGrain>(0).GetObserversAsync();
            _hostsRefreshed = DateTime.UtcNow;
        }
        foreach (var host in _hosts)
        {
            try
            {
                await host.OnSiteEventsAsync(batch);
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not push {Count} site events to an API host: {Error}", batch.Count, e.Message);
            }
        }
    }
}
