using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Public;

namespace HcmCity.Sites.Records;

/// <summary>
/// Sites, their sensors and alerts: PostgreSQL in production, memory in embedded mode; one contract test suite
/// runs against both.
/// </summary>
public interface ISiteRepository
{
    Task AddSiteAsync(SiteRecord site, CancellationToken cancellationToken = default);

    Task<SiteRecord?> GetSiteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Sites of a ward and/or intersecting a bbox, ordered by id.</summary>
    Task<IReadOnlyList<SiteRecord>> SearchSitesAsync(SiteQuery query, CancellationToken cancellationToken = default);

    Task UpdateStatusAsync(string siteId, string status, DateTimeOffset since, CancellationToken cancellationToken = default);

    Task AddSensorAsync(SensorRecord sensor, CancellationToken cancellationToken = default);

    Task<SensorRecord?> GetSensorAsync(string deviceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the sensor revoked at <paramref name="at"/>, or keeps the time of an earlier revocation.
    /// </summary>
    /// <returns>The sensor as now stored; null when no sensor has this device id.</returns>
    Task<SensorRecord?> RevokeSensorAsync(string deviceId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A site's sensors, ordered by device id.</summary>
    Task<IReadOnlyList<SensorRecord>> ListSensorsAsync(string siteId, CancellationToken cancellationToken = default);

    /// <summary>Inserts the alert, or replaces the stored one with the same id.</summary>
    Task SaveAlertAsync(AlertView alert, CancellationToken cancellationToken = default);

    Task<AlertView?> GetAlertAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>A site's alerts not yet resolved, oldest first.</summary>
    Task<IReadOnlyList<AlertView>> ListOpenAlertsAsync(string siteId, CancellationToken cancellationToken = default);

    /// <summary>The published site figures of a month, one row per ward with sites, ordered by ward (ordinal).</summary>
    Task<IReadOnlyList<SiteMonthRow>> SiteFiguresAsync(SiteFiguresQuery query, CancellationToken cancellationToken = default);
}
