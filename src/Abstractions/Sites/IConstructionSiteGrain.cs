namespace HcmCity.Abstractions.Sites;

/// <summary>
/// A construction site (công trường), keyed by site id. Owns the site's status and its alerts: raises an alert when
/// a sensor reports a violation or goes offline, records who acknowledged and resolved it, and pushes changes live.
/// </summary>
public interface IConstructionSiteGrain : IGrainWithStringKey
{
    Task ReportLevelsAsync(string deviceId, IReadOnlyList<MetricChange> changes);

    Task ReportOnlineAsync(string deviceId, bool online, DateTimeOffset at);

    Task<SiteSnapshot> GetAsync();

    Task<AlertActionResult> AcknowledgeAsync(Guid alertId, string actor);

    Task<AlertActionResult> ResolveAsync(Guid alertId, string actor);
}

public enum SiteStatus
{
    Ok = 0,
    Warning = 1,
    Violation = 2,
    Offline = 3,
}

[GenerateSerializer, Immutable]
public sealed record SiteSnapshot(
    [property: Id(0)] string SiteId,
    [property: Id(1)] SiteStatus Status,
    [property: Id(2)] DateTimeOffset? Since,
    [property: Id(3)] IReadOnlyList<SensorView> Sensors,
    [property: Id(4)] IReadOnlyList<AlertView> OpenAlerts);

[GenerateSerializer, Immutable]
public sealed record SensorView(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string Kind,
    [property: Id(2)] bool Offline,
    [property: Id(3)] IReadOnlyList<MetricChange> Metrics);

/// <summary>
/// An alert (cảnh báo) on a site: raised by the site's grain, acknowledged then resolved by an inspector. The one
/// shape of an alert: stored by the site repository, returned by the grain, served by the API and pushed to the map.
/// </summary>
/// <param name="Metric">What crossed its limit: a reading name (laeq, pm10, ...) or "offline".</param>
/// <param name="State">raised, acknowledged or resolved.</param>
[GenerateSerializer, Immutable]
public sealed record AlertView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string SiteId,
    [property: Id(2)] string DeviceId,
    [property: Id(3)] string Metric,
    [property: Id(4)] string Severity,
    [property: Id(5)] double? Value,
    [property: Id(6)] double? Limit,
    [property: Id(7)] string State,
    [property: Id(8)] DateTimeOffset RaisedAt,
    [property: Id(9)] DateTimeOffset? AcknowledgedAt = null,
    [property: Id(10)] string? AcknowledgedBy = null,
    [property: Id(11)] DateTimeOffset? ResolvedAt = null,
    [property: Id(12)] string? ResolvedBy = null);

public enum AlertActionOutcome
{
    Done = 0,
    NotFound = 1,

    /// <summary>The alert is not in a state that allows the action (e.g. acknowledging a resolved alert).</summary>
    Conflict = 2,
}

[GenerateSerializer, Immutable]
public sealed record AlertActionResult(
    [property: Id(0)] AlertActionOutcome Outcome,
    [property: Id(1)] AlertView? Alert);
