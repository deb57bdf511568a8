namespace HcmCity.Abstractions.Sensors;

/// <summary>
/// Where a device publishes its readings and how it names them: the one MQTT contract between devices, the broker's
/// ACLs, the gateway's subscription and the simulator.
/// </summary>
public static class TelemetryTopic
{
    private const string Prefix = "hcm/devices/";
    private const string Suffix = "/telemetry";

    /// <summary>The subscription that receives every device's telemetry.</summary>
    public const string AllDevices = Prefix + "+" + Suffix;

    /// <summary><c>hcm/devices/{deviceId}/telemetry</c>: the only topic a device may publish to.</summary>
    public static string For(string deviceId) => Prefix + deviceId + Suffix;

    /// <summary>The device id of a telemetry topic; false for any other topic.</summary>
    public static bool TryParseDevice(string topic, out string deviceId)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length > Prefix.Length + Suffix.Length
            && topic.StartsWith(Prefix, StringComparison.Ordinal)
            && topic.EndsWith(Suffix, StringComparison.Ordinal))
        {
            deviceId = topic[Prefix.Length..^Suffix.Length];
            return true;
        }
        deviceId = "";
        return false;
    }

    /// <summary>The SenML base name (RFC 8428 <c>bn</c>) of a device's packs: <c>urn:dev:hcm:{deviceId}:</c>.</summary>
    public static string BaseName(string deviceId) => $"urn:dev:hcm:{deviceId}:";
}
