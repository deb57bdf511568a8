using HcmCity.Abstractions.Sites;
using HcmCity.Sites;
using Microsoft.AspNetCore.SignalR;

namespace HcmCity.Sites.Live;

/// <summary>This host's <see cref="MapHub"/> as the notifier grain sees it (GPSTracker's RemoteLocationHub).</summary>
public sealed class RemoteMapHub(IHubContext<MapHub> hub, LiveSubscriptions subscriptions, ILogger<RemoteMapHub> logger) : ISiteEventsObserver
{
    public async Task OnSiteEventsAsync(IReadOnlyList<SiteEvent> events)
    {
        foreach (var e in events)
        {
            object message = e.Kind == SiteEvent.AlertKind && e.Alert is { } alert
                ? alert
                : new SiteStatusMessage(e.SiteId, SiteNames.Status(e.Status), e.At, e.Ward, e.Lon, e.Lat);
            try
            {
                await hub.Clients.Groups([MapHub.SiteGroup(e.SiteId), MapHub.WardGroup(e.Ward)]).SendAsync(e.Kind, message);
                var byArea = subscriptions.ConnectionsCovering(e.Lon, e.Lat);
                if (byArea.Count > 0)
                {
                    await hub.Clients.Clients(byArea).SendAsync(e.Kind, message);
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning("Could not push {Kind} of site {SiteId}: {Error}", e.Kind, e.SiteId, ex.Message);
            }
        }
    }
}

/// <summary>The "siteStatus" message.</summary>
public sealed record SiteStatusMessage(string SiteId, string Status, DateTimeOffset Since, string Ward, double Lon, double Lat);
