using HcmCity.Web.Input;
using HcmCity.Web.Auth;
using HcmCity.Web.GeoJson;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace HcmCity.Sites.Live;

/// <summary>
/// Live map updates (site status, alerts) for inspectors. Clients join groups by area (ward code) or by site, or
/// follow a map area (bbox); servers push to them in batches, never one hub call per reading.
/// </summary>
[Authorize(Policy = Roles.Inspector)]
public sealed class MapHub(LiveSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/map";

    /// <summary>
    /// Largest SignalR message a client may send (subscriptions: a ward, a site id or a bbox). The server closes the
    /// connection of a client sending more; the hub and other connections carry on.
    /// </summary>
    public const long MaxMessageBytes = 32 * 1024;

    public Task SubscribeWard(string wardCode) => Groups.AddToGroupAsync(Context.ConnectionId, WardGroup(wardCode));

    public Task UnsubscribeWard(string wardCode) => Groups.RemoveFromGroupAsync(Context.ConnectionId, WardGroup(wardCode));

    public Task SubscribeSite(string siteId) => Groups.AddToGroupAsync(Context.ConnectionId, SiteGroup(siteId));

    public Task UnsubscribeSite(string siteId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, SiteGroup(siteId));

    /// <summary>Follows sites inside a WGS 84 bbox (replacing this connection's previous area).</summary>
    public void SubscribeArea(double minLon, double minLat, double maxLon, double maxLat)
    {
        try
        {
            subscriptions.SetArea(Context.ConnectionId, ParcelInput.CheckedLonLat(minLon, minLat, maxLon, maxLat, "bbox", maxSpanDegrees: null));
        }
        catch (HcmCity.Web.Problems.BadInputException e)
        {
            throw new HubException($"bbox: {e.Message}");
        }
    }

    public void UnsubscribeArea() => subscriptions.Remove(Context.ConnectionId);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public static string WardGroup(string wardCode) => $"ward:{wardCode}";

    public static string SiteGroup(string siteId) => $"site:{siteId}";
}
