using HcmCity.Abstractions.Sensors;

namespace HcmCity.Abstractions.Sites;

/// <summary>
/// One site sensor (cảm biến), keyed by its device id. Keeps the rolling windows its limits need, judges them with
/// hysteresis and tells its <see cref="IConstructionSiteGrain"/> only when a level changes or it goes offline.
/// </summary>
public interface ISensorGrain : IGrainWithStringKey
{
    /// <summary>A batch of this device's readings, in time order.</summary>
    Task<RecordResult> RecordAsync(IReadOnlyList<Reading> readings);

    /// <summary>Loads the sensor's registration and starts watching for silence (called at provisioning).</summary>
    Task StartAsync();

    /// <summary>
    /// The sensor was revoked: from now on its readings are dropped as a device nobody provisioned, and its silence
    /// is no longer watched.
    /// </summary>
    Task RevokeAsync();
}

/// <param name="Known">False when no sensor is provisioned (or none in service) under this device id: the readings were dropped.</param>
/// <param name="Accepted">Readings used by the sensor's windows.</param>
/// <param name="Ignored">Readings of names this kind of sensor does not report, or too late for their window.</param>
[GenerateSerializer, Immutable]
public sealed record RecordResult(
    [property: Id(0)] bool Known,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Ignored);

/// <summary>How a monitored quantity stands against its limit.</summary>
public enum MetricLevel
{
    Ok = 0,
    Warning = 1,
    Violation = 2,
}

/// <summary>A sensor's monitored quantity changed level (after hysteresis).</summary>
/// <param name="Metric">The reading name judged: laeq, pm10, pm25, vibration or tilt.</param>
/// <param name="Value">The judged value: period L_Aeq, 1 h or 24 h PM mean, or the reading itself.</param>
/// <param name="Limit">The threshold of the new level (for Ok, the violation limit in force).</param>
[GenerateSerializer, Immutable]
public sealed record MetricChange(
    [property: Id(0)] string Metric,
    [property: Id(1)] MetricLevel Level,
    [property: Id(2)] double Value,
    [property: Id(3)] double? Limit,
    [property: Id(4)] DateTimeOffset Time);
