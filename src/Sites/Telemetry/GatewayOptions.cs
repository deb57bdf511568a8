using HcmCity.Abstractions.Sensors;
namespace HcmCity.Sites.Telemetry;

/// <summary>The gateway's MQTT subscription. The broker address is ConnectionStrings:Mqtt (host:port).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The gateway's MQTT username when the embedded broker makes its password (no device id looks like it).</summary>
    public const string DefaultUsername = "hcm-gateway";

    /// <summary>Stable per gateway instance: the broker keeps its persistent session under this id.</summary>
    public string ClientId { get; set; } = $"hcm-gateway-{Environment.MachineName}";

    /// <summary>
    /// The gateway's MQTT account (on mosquitto: a dynamic-security client allowed to subscribe to device telemetry).
    /// With the embedded broker and no password set, <see cref="DefaultUsername"/> and a random per-process password.
    /// </summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// MQTT 5 shared subscription group ($share/{group}/...), so several gateways split the device load. Empty (the
    /// default): one gateway with a plain subscription. Why plain: mosquitto 2.0 (Debian's 2.0.11, tested) does not
    /// restore shared subscriptions from its persistence file, so QoS 1 telemetry published after a broker restart
    /// and before the gateways subscribe again is acknowledged to the device and dropped (70 of 200 in one test run);
    /// a plain subscription of a persistent session is restored and queues it. One gateway carried 20,000 readings/s
    /// (bench/Telemetry), well above the city's sensor load. Set a group only on a broker that keeps shared
    /// subscriptions across restarts.
    /// </summary>
    public string? SharedGroup { get; set; } = "";

    public string TopicFilter { get; set; } = TelemetryTopic.AllDevices;

    /// <summary>Readings are written in batches of at most this many points.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// A batch is handed on (InfluxDB, then the Sensor grains) when it is full or this old. It bounds the alert
    /// latency: measured with bench/Telemetry at 20,000 readings/s from 10,000 devices, 250 ms gave a publish → alert
    /// p99 of 304 ms, 50 ms gave 129 ms at the same throughput (InfluxDB batches of ~1,000 points).
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// MQTT 5 Receive Maximum: telemetry messages the broker may send before the gateway acknowledges them, which
    /// it does once their readings are written. At 20,000 readings/s and a 50 ms flush about 1,000 are in flight.
    /// </summary>
    public ushort MaxUnacknowledged { get; set; } = 10_000;

    /// <summary>How long the broker keeps our session (and queued QoS 1 messages) while we are away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Where readings InfluxDB could not take wait on disk until it can (<see cref="Telemetry.InfluxWriteBuffer"/>);
    /// production should point it at a persistent volume. Default: a folder per <see cref="ClientId"/> under the
    /// system's temporary folder.
    /// </summary>
    public string? BufferDirectory { get; set; }

    /// <summary>At most this many bytes of line protocol wait on disk; readings beyond are dropped and counted.</summary>
    public long BufferMaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How often buffered readings are offered to InfluxDB again while it fails.</summary>
    public TimeSpan BufferRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest MQTT packet the embedded broker reads, in bytes, fixed header included; a client announcing a larger
    /// one is disconnected before any of it is read. A SenML pack is at most <see cref="SenmlParser.MaxPayloadBytes"/>,
    /// so 64 KiB leaves room for its topic and properties while one client can no longer make the broker allocate up to
    /// MQTT's 256 MB per packet.
    /// </summary>
    public int MaxPacketBytes { get; set; } = 64 * 1024;

    /// <summary>Smallest <see cref="MaxPacketBytes"/>: a pack of the largest accepted payload and its MQTT header must fit.</summary>
    public const int MinPacketBytes = SenmlParser.MaxPayloadBytes + 1024;

    /// <summary>MQTT's own largest packet: a remaining length of 268,435,455 bytes (MQTT 5 §1.5.5) and its fixed header.</summary>
    public const int MqttMaxPacketBytes = 268_435_455 + 5;

    /// <summary>The embedded MQTTnet broker (embedded mode): started in-process on the ConnectionStrings:Mqtt port.</summary>
    public bool EmbeddedBroker { get; set; }

    public string Subscription => string.IsNullOrEmpty(SharedGroup) ? TopicFilter : $"$share/{SharedGroup}/{TopicFilter}";
}
