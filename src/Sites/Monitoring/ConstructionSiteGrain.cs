using HcmCity.Abstractions;
using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace HcmCity.Sites.Monitoring;

/// <summary>
/// Owns a site's status and alerts. Status: violation if any online sensor is in violation, else warning if any is
/// in warning, else offline if any sensor is offline, else ok. A violation or a silent sensor raises an alert unless
/// one for the same sensor and metric is still open; alerts live in the <see cref="ISiteRepository"/>.
/// </summary>
public sealed class ConstructionSiteGrain(
    [PersistentState("site", GrainStorage.Name)] IPersistentState<ConstructionSiteGrainState> state,
    ISiteRepository repository,
    TimeProvider time,
    ILogger<ConstructionSiteGrain> logger) : Grain, IConstructionSiteGrain
{
    public const string OfflineMetric = "offline";

    private SiteRecord? _site;
    private Dictionary<Guid, AlertView> _open = [];

    private SiteRecord Site => _site ?? throw new InvalidOperationException($"Site {this.GetPrimaryKeyString()} does not exist.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _site = await repository.GetSiteAsync(this.GetPrimaryKeyString(), cancellationToken);
        if (_site is not null)
        {
            _open = (await repository.ListOpenAlertsAsync(_site.Id, cancellationToken)).ToDictionary(a => a.Id);
        }
    }

    public async Task ReportLevelsAsync(string deviceId, IReadOnlyList<MetricChange> changes)
    {
        // Alerts are stored before the site's view moves: if storing fails (the database is down), the call fails
        // with the view unchanged, and the sensor reports the same changes again (an alert already stored stays the
        // only open one of its sensor and metric).
        foreach (var change in changes.Where(c => c.Level == MetricLevel.Violation))
        {
            await RaiseAsync(deviceId, change.Metric, "violation", change.Value, change.Limit, change.Time);
        }
        var standing = Standing(deviceId);
        foreach (var change in changes)
        {
            standing.Metrics[change.Metric] = change;
        }
        await UpdateStatusAsync();
    }

    public async Task ReportOnlineAsync(string deviceId, bool online, DateTimeOffset at)
    {
        if (!online)
        {
            await RaiseAsync(deviceId, OfflineMetric, OfflineMetric, null, null, at);
        }
        Standing(deviceId).Offline = !online;
        await UpdateStatusAsync();
    }

    public async Task<SiteSnapshot> GetAsync()
    {
        var sensors = await repository.ListSensorsAsync(Site.Id);
        var views = sensors.Select(s =>
        {
            var standing = state.State.Sensors.GetValueOrDefault(s.DeviceId);
            return new SensorView(s.DeviceId, s.Kind, standing?.Offline ?? false,
                standing?.Metrics.Values.OrderBy(m => m.Metric, StringComparer.Ordinal).ToList() ?? []);
        }).ToList();
        return new SiteSnapshot(Site.Id, state.State.Status, state.State.Since, views,
            _open.Values.OrderBy(a => a.RaisedAt).ToList());
    }

    public Task<AlertActionResult> AcknowledgeAsync(Guid alertId, string actor) =>
        ChangeAlertAsync(alertId, alert => alert.State == AlertStates.Raised
            ? alert with { State = AlertStates.Acknowledged, AcknowledgedAt = time.GetUtcNow(), AcknowledgedBy = actor }
            : null);

    /// <summary>Resolving an alert nobody acknowledged records the resolver as its acknowledger too.</summary>
    public Task<AlertActionResult> ResolveAsync(Guid alertId, string actor) =>
        ChangeAlertAsync(alertId, alert =>
        {
            if (alert.State == AlertStates.Resolved)
            {
                return null;
            }
            var now = time.GetUtcNow();
            return alert with
            {
                State = AlertStates.Resolved,
                AcknowledgedAt = alert.AcknowledgedAt ?? now,
                AcknowledgedBy = alert.AcknowledgedBy ?? actor,
                ResolvedAt = now,
                ResolvedBy = actor,
            };
        });

    private async Task<AlertActionResult> ChangeAlertAsync(Guid alertId, Func<AlertView, AlertView?> change)
    {
        var alert = _open.GetValueOrDefault(alertId) ?? await repository.GetAlertAsync(alertId);
        if (alert is null || alert.SiteId != Site.Id)
        {
            return new AlertActionResult(AlertActionOutcome.NotFound, null);
        }
        if (change(alert) is not { } changed)
        {
            return new AlertActionResult(AlertActionOutcome.Conflict, alert);
        }
        await repository.SaveAlertAsync(changed);
        if (changed.State == AlertStates.Resolved)
        {
            _open.Remove(alertId);
        }
        else
        {
            _open[alertId] = changed;
        }
        await NotifyAsync(SiteEvent.AlertKind, changed, time.GetUtcNow());
        return new AlertActionResult(AlertActionOutcome.Done, changed);
    }

    private async Task RaiseAsync(string deviceId, string metric, string severity, double? value, double? limit, DateTimeOffset at)
    {
        if (_open.Values.Any(a => a.DeviceId == deviceId && a.Metric == metric))
        {
            return;
        }
        var alert = new AlertView(Guid.NewGuid(), Site.Id, deviceId, metric, severity, value, limit, AlertStates.Raised, at);
        await repository.SaveAlertAsync(alert);
        _open[alert.Id] = alert;
        logger.LogInformation("Site {SiteId}: alert {AlertId} raised, {Metric} on {DeviceId} ({Value} over {Limit})",
            Site.Id, alert.Id, metric, deviceId, value, limit);
        await NotifyAsync(SiteEvent.AlertKind, alert, at);
    }

    private async Task UpdateStatusAsync()
    {
        var online = state.State.Sensors.Values.Where(s => !s.Offline).SelectMany(s => s.Metrics.Values).ToList();
        var status = online.Any(m => m.Level == MetricLevel.Violation) ? SiteStatus.Violation
            : online.Any(m => m.Level == MetricLevel.Warning) ? SiteStatus.Warning
            : state.State.Sensors.Values.Any(s => s.Offline) ? SiteStatus.Offline
            : SiteStatus.Ok;
        if (status != state.State.Status)
        {
            var now = time.GetUtcNow();
            // Stored first, so a failed update is tried again on the next report rather than taken as done.
            await repository.UpdateStatusAsync(Site.Id, Name(status), now);
            state.State.Status = status;
            state.State.Since = now;
            await NotifyAsync(SiteEvent.StatusKind, null, now);
        }
        await state.WriteStateAsync();
    }

    private SensorStanding Standing(string deviceId)
    {
        if (!state.State.Sensors.TryGetValue(deviceId, out var standing))
        {
            standing = new SensorStanding();
            state.State.Sensors[deviceId] = standing;
        }
        return standing;
    }

    private Task NotifyAsync(string kind, AlertView? alert, DateTimeOffset at)
    {
        var location = Site.Location;
        return GrainFactory.GetGrain<ISiteEventNotifierGrain>(0).NotifyAsync(
            new SiteEvent(kind, Site.Id, Site.Ward, location.X, location.Y, state.State.Status, at, alert));
    }

    public static string Name(SiteStatus status) => status switch
    {
        SiteStatus.Warning => SiteStatuses.Warning,
        SiteStatus.Violation => SiteStatuses.Violation,
        SiteStatus.Offline => SiteStatuses.Offline,
        _ => SiteStatuses.Ok,
    };
}
