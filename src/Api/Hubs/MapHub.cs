using HcmCity.Api.Auth;
using HcmCity.Api.Live;
using HcmCity.Api.Parcels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace HcmCity.Api.Hubs;

/// <summary>
/// Live map updates (site status, alerts) for inspectors. Clients join groups by area (ward code) or by site, or
/// follow a map area (bbox); servers push to them in batches, never one hub call per reading.
/// </summary>
[Authorize(Policy = Roles.Inspector)]
public sealed class MapHub(LiveSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/map";

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
        catch (Problems.BadInputException e)
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
