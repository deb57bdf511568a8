using System.Text.Json;
using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Records;

namespace HcmCity.Sites;

/// <summary>POST /api/sites. Every condition left out takes its national default.</summary>
/// <param name="Footprint">GeoJSON Polygon or MultiPolygon in WGS 84; the parcel's shape when left out.</param>
public sealed record RegisterSiteRequest(
    string? PermitNumber,
    long? ParcelId,
    string? Zone,
    JsonElement? Footprint,
    ConditionsInput? Conditions);

/// <param name="DayStart">"HH:mm", Ho Chi Minh City time.</param>
public sealed record ConditionsInput(
    string? DayStart,
    string? NightStart,
    double? NoiseDayDb,
    double? NoiseNightDb,
    double? VibrationDayDb,
    double? VibrationNightDb,
    double? Pm10DayUg,
    double? Pm25DayUg,
    double? TiltWarningDeg,
    double? TiltStopDeg);

public sealed record ProvisionSensorRequest(string? Kind);

/// <summary>The sensor's MQTT credentials, shown once: the platform keeps only a hash of the password.</summary>
public sealed record ProvisionedSensor(string DeviceId, string SiteId, string Kind, MqttCredentials Mqtt);

/// <summary>A revoked sensor (cảm biến đã thu hồi): its device can no longer connect.</summary>
public sealed record RevokedSensor(string DeviceId, string SiteId, string Kind, DateTimeOffset RevokedAt);

/// <param name="BaseName">SenML base name ("bn") the device must use.</param>
public sealed record MqttCredentials(string Username, string Password, string Topic, string BaseName);

public sealed record SiteSummary(
    string Id,
    string PermitNumber,
    long ParcelId,
    string Ward,
    string Zone,
    string Status,
    DateTimeOffset? StatusSince,
    double Lon,
    double Lat);

public sealed record SiteDetails(
    string Id,
    string PermitNumber,
    long ParcelId,
    string Ward,
    string Zone,
    string Status,
    DateTimeOffset? StatusSince,
    double Lon,
    double Lat,
    JsonElement Footprint,
    SiteConditions Conditions,
    IReadOnlyList<SensorDetails> Sensors,
    IReadOnlyList<AlertView> OpenAlerts);

public sealed record SensorDetails(string DeviceId, string Kind, bool Offline, IReadOnlyList<MetricDto> Metrics);

public sealed record MetricDto(string Metric, string Level, double Value, double? Limit, DateTimeOffset Time);

public sealed record ReadingsResponse(
    string DeviceId, DateTimeOffset From, DateTimeOffset To, string Every, IReadOnlyList<ReadingSeries> Series);

public sealed record ReadingSeries(string Name, IReadOnlyList<ReadingPoint> Points);

public sealed record ReadingPoint(DateTimeOffset Time, double Mean, double Min, double Max, long Count);

public static class SiteNames
{
    public static string Status(SiteStatus status) => status switch
    {
        SiteStatus.Warning => SiteStatuses.Warning,
        SiteStatus.Violation => SiteStatuses.Violation,
        SiteStatus.Offline => SiteStatuses.Offline,
        _ => SiteStatuses.Ok,
    };

    public static string Level(MetricLevel level) => level switch
    {
        MetricLevel.Warning => "warning",
        MetricLevel.Violation => "violation",
        _ => "ok",
    };
}
