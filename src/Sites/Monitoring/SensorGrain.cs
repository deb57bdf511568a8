using HcmCity.Abstractions;
using HcmCity.Abstractions.Sensors;
using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace HcmCity.Sites.Monitoring;

/// <summary>
/// A provisioned sensor: judges its readings with a <see cref="SensorMonitor"/>, tells its site only what changed,
/// and goes offline after <see cref="MonitoringOptions.OfflineAfter"/> of silence (checked by a grain timer that
/// keeps the grain active while the sensor is watched).
/// </summary>
public sealed class SensorGrain(
    [PersistentState("sensor", GrainStorage.Name)] IPersistentState<SensorGrainState> state,
    ISiteRepository repository,
    IOptions<SitesOptions> options,
    TimeProvider time,
    ILogger<SensorGrain> logger) : Grain, ISensorGrain
{
    private readonly MonitoringOptions _monitoring = options.Value.Monitoring;
    private SensorRecord? _sensor;
    private SensorMonitor? _monitor;
    private IGrainTimer? _silenceTimer;
    private DateTimeOffset _lastHeard;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task StartAsync() => _sensor is null ? LoadAsync(CancellationToken.None) : Task.CompletedTask;

    public Task RevokeAsync()
    {
        _sensor = null;
        _monitor = null;
        _silenceTimer?.Dispose();
        _silenceTimer = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<RecordResult> RecordAsync(IReadOnlyList<Reading> readings)
    {
        if (_sensor is null || _monitor is null)
        {
            // Not provisioned (yet) or revoked: do not keep an activation for a device id anyone can publish under.
            DeactivateOnIdle();
            return new RecordResult(false, 0, readings.Count);
        }
        _lastHeard = time.GetUtcNow();
        var site = GrainFactory.GetGrain<IConstructionSiteGrain>(_sensor.SiteId);
        if (state.State.Offline)
        {
            // The site first: if it cannot store the change, the sensor stays offline and the next reading retries.
            await site.ReportOnlineAsync(_sensor.DeviceId, true, _lastHeard);
            state.State.Offline = false;
            await state.WriteStateAsync();
        }
        // Judged on a copy, kept only once the site has stored what the readings changed (its alerts): if that fails
        // (the database is down), the call fails, the gateway leaves the message unacknowledged, and when the broker
        // sends it again the readings are judged again instead of being ignored as repeats.
        var monitor = _monitor.Copy();
        var changes = new List<MetricChange>();
        var accepted = 0;
        foreach (var reading in readings)
        {
            if (monitor.Add(reading, out var used) is { } change)
            {
                changes.Add(change);
            }
            accepted += used ? 1 : 0;
        }
        if (changes.Count > 0)
        {
            await site.ReportLevelsAsync(_sensor.DeviceId, changes);
            foreach (var change in changes)
            {
                state.State.Levels[change.Metric] = change.Level;
            }
            await state.WriteStateAsync();
        }
        _monitor = monitor;
        return new RecordResult(true, accepted, readings.Count - accepted);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var deviceId = this.GetPrimaryKeyString();
        _sensor = await repository.GetSensorAsync(deviceId, cancellationToken);
        if (_sensor is not { RevokedAt: null })
        {
            _sensor = null;
            return;
        }
        var site = await repository.GetSiteAsync(_sensor.SiteId, cancellationToken)
            ?? throw new InvalidOperationException($"Sensor {deviceId} belongs to unknown site {_sensor.SiteId}.");
        _monitor = new SensorMonitor(_sensor.Kind, site.Conditions, _monitoring, state.State.Levels);
        // Silence is measured from activation: a silo restart gives every sensor a full period to be heard again.
        _lastHeard = time.GetUtcNow();
        var check = _monitoring.OfflineAfter / 4;
        _silenceTimer ??= this.RegisterGrainTimer(CheckSilenceAsync, new GrainTimerCreationOptions
        {
            DueTime = check,
            Period = check,
            // Not interleaved: the check and RecordAsync both change and write the state.
            Interleave = false,
            KeepAlive = true,
        });
        logger.LogDebug("Sensor {DeviceId} ({Kind}) watching site {SiteId}", deviceId, _sensor.Kind, _sensor.SiteId);
    }

    private async Task CheckSilenceAsync(CancellationToken cancellationToken)
    {
        if (_sensor is null || state.State.Offline || time.GetUtcNow() - _lastHeard < _monitoring.OfflineAfter)
        {
            return;
        }
        // The site first (it stores the offline alert): if that fails, the next check tries again.
        await GrainFactory.GetGrain<IConstructionSiteGrain>(_sensor.SiteId).ReportOnlineAsync(_sensor.DeviceId, false, time.GetUtcNow());
        state.State.Offline = true;
        await state.WriteStateAsync(cancellationToken);
    }
}
