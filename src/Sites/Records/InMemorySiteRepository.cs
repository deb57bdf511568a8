using HcmCity.Abstractions.Sites;
using System.Collections.Concurrent;
using HcmCity.Sites.Public;

namespace HcmCity.Sites.Records;

/// <summary>The embedded mode's site repository: everything in memory, gone when the process stops.</summary>
public sealed class InMemorySiteRepository : ISiteRepository
{
    private readonly ConcurrentDictionary<string, SiteRecord> _sites = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SensorRecord> _sensors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, AlertView> _alerts = new();

    public Task AddSiteAsync(SiteRecord site, CancellationToken cancellationToken = default)
    {
        if (!_sites.TryAdd(site.Id, site))
        {
            throw new InvalidOperationException($"Site {site.Id} already exists.");
        }
        return Task.CompletedTask;
    }

    public Task<SiteRecord?> GetSiteAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_sites.GetValueOrDefault(id));

    public Task<IReadOnlyList<SiteRecord>> SearchSitesAsync(SiteQuery query, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SiteRecord> found = _sites.Values
            .Where(s => query.Ward is null || s.Ward == query.Ward)
            .Where(s => query.Bbox is null || query.Bbox.Intersects(s.Footprint.EnvelopeInternal) && s.Footprint.Intersects(s.Footprint.Factory.ToGeometry(query.Bbox)))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
        return Task.FromResult(found);
    }

    public Task UpdateStatusAsync(string siteId, string status, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        _sites.AddOrUpdate(siteId,
            _ => throw new InvalidOperationException($"Site {siteId} does not exist."),
            (_, site) => site with { Status = status, StatusSince = since });
        return Task.CompletedTask;
    }

    public Task AddSensorAsync(SensorRecord sensor, CancellationToken cancellationToken = default)
    {
        if (!_sites.ContainsKey(sensor.SiteId))
        {
            throw new InvalidOperationException($"Site {sensor.SiteId} does not exist.");
        }
        if (!_sensors.TryAdd(sensor.DeviceId, sensor))
        {
            throw new InvalidOperationException($"Sensor {sensor.DeviceId} already exists.");
        }
        return Task.CompletedTask;
    }

    public Task<SensorRecord?> GetSensorAsync(string deviceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_sensors.GetValueOrDefault(deviceId));

    public Task<SensorRecord?> RevokeSensorAsync(string deviceId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        while (_sensors.TryGetValue(deviceId, out var sensor))
        {
            if (sensor.RevokedAt is not null)
            {
                return Task.FromResult<SensorRecord?>(sensor);
            }
            var revoked = sensor with { RevokedAt = at };
            if (_sensors.TryUpdate(deviceId, revoked, sensor))
            {
                return Task.FromResult<SensorRecord?>(revoked);
            }
        }
        return Task.FromResult<SensorRecord?>(null);
    }

    public Task<IReadOnlyList<SensorRecord>> ListSensorsAsync(string siteId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SensorRecord> found = _sensors.Values
            .Where(s => s.SiteId == siteId)
            .OrderBy(s => s.DeviceId, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(found);
    }

    public Task SaveAlertAsync(AlertView alert, CancellationToken cancellationToken = default)
    {
        _alerts[alert.Id] = alert;
        return Task.CompletedTask;
    }

    public Task<AlertView?> GetAlertAsync(Guid id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_alerts.GetValueOrDefault(id));

    public Task<IReadOnlyList<AlertView>> ListOpenAlertsAsync(string siteId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AlertView> found = _alerts.Values
            .Where(a => a.SiteId == siteId && a.State != AlertStates.Resolved)
            .OrderBy(a => a.RaisedAt)
            .ThenBy(a => a.Id)
            .ToList();
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<SiteMonthRow>> SiteFiguresAsync(SiteFiguresQuery query, CancellationToken cancellationToken = default)
    {
        var sites = _sites.Values.Where(s => (query.Ward is null || s.Ward == query.Ward) && s.CreatedAt < query.End).ToList();
        var wardOf = sites.ToDictionary(s => s.Id, s => s.Ward, StringComparer.Ordinal);
        var violations = _alerts.Values
            .Where(a => a.Severity == SiteStatuses.Violation && a.AcknowledgedAt is not null
                && a.RaisedAt >= query.Start && a.RaisedAt < query.End && wardOf.ContainsKey(a.SiteId))
            .CountBy(a => wardOf[a.SiteId])
            .ToDictionary(StringComparer.Ordinal);
        IReadOnlyList<SiteMonthRow> rows = [.. sites
            .CountBy(s => s.Ward)
            .OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => new SiteMonthRow(w.Key, query.MonthText, w.Value, violations.GetValueOrDefault(w.Key)))];
        return Task.FromResult(rows);
    }
}
