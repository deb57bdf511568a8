using System.Collections.Concurrent;
using NetTopologySuite.Geometries;

namespace HcmCity.Sites.Live;

/// <summary>
/// Map-area subscriptions of this host's hub connections: a SignalR group cannot be a rectangle, so the host keeps
/// each connection's bbox and matches a site's location against them.
/// </summary>
public sealed class LiveSubscriptions
{
    private readonly ConcurrentDictionary<string, Envelope> _areas = new(StringComparer.Ordinal);

    public void SetArea(string connectionId, Envelope bbox) => _areas[connectionId] = bbox;

    public void Remove(string connectionId) => _areas.TryRemove(connectionId, out _);

    public IReadOnlyList<string> ConnectionsCovering(double lon, double lat) =>
        _areas.Where(a => a.Value.Covers(lon, lat)).Select(a => a.Key).ToList();
}
