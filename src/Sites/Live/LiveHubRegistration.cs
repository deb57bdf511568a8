using HcmCity.Abstractions.Sites;

namespace HcmCity.Sites.Live;

/// <summary>
/// Keeps this host registered with the hub registry grain (every 5 s, as GPSTracker's HubListUpdater), so the
/// notifier finds it again after a silo restart and forgets it soon after this host stops.
/// </summary>
public sealed class LiveHubRegistration(IGrainFactory grains, RemoteMapHub hub, ILogger<LiveHubRegistration> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(500);

    private readonly string _hostId = $"{Environment.MachineName}-{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Orleans holds observers weakly; the RemoteMapHub singleton is kept alive by the container.
        var reference = grains.CreateObjectReference<ISiteEventsObserver>(hub);
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = Every;
            try
            {
                await grains.GetGrain<ILiveHubRegistryGrain>(0).RegisterAsync(_hostId, reference);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // At start the co-hosted silo may not be serving yet.
                logger.LogDebug("Live hub registration failed, retrying: {Error}", e.Message);
                delay = RetryEvery;
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
