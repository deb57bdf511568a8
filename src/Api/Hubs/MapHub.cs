using Microsoft.AspNetCore.SignalR;

namespace HcmCity.Api.Hubs;

/// <summary>
/// Live map updates (site status, alerts). Clients join groups by area (ward code) or by site; servers push to
/// groups in batches, never one hub call per reading.
/// </summary>
public sealed class MapHub : Hub
{
    public const string Path = "/hubs/map";

    public Task SubscribeWard(string wardCode) => Groups.AddToGroupAsync(Context.ConnectionId, WardGroup(wardCode));

    public Task UnsubscribeWard(string wardCode) => Groups.RemoveFromGroupAsync(Context.ConnectionId, WardGroup(wardCode));

    public Task SubscribeSite(string siteId) => Groups.AddToGroupAsync(Context.ConnectionId, SiteGroup(siteId));

    public Task UnsubscribeSite(string siteId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, SiteGroup(siteId));

    public static string WardGroup(string wardCode) => $"ward:{wardCode}";

    public static string SiteGroup(string siteId) => $"site:{siteId}";
}
