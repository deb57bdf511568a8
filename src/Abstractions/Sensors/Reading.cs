namespace HcmCity.Abstractions.Sensors;

/// <summary>
/// One measurement from a site sensor, as the gateway accepted it. Names follow our SenML profile:
/// laeq (dB(A)), pm10 and pm25 (µg/m³), vibration (dB), tilt (degrees).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Reading(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] string Name,
    [property: Id(2)] double Value,
    [property: Id(3)] DateTimeOffset Time);
