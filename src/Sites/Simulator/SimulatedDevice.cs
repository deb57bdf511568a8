using HcmCity.Abstractions.Sensors;
using System.Buffers;
using System.Text.Json;
using HcmCity.Sites.Records;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace HcmCity.Sites.Simulator;

/// <summary>
/// One simulated sensor: its own MQTT connection with the credentials it was provisioned with, publishing a SenML
/// pack of the replayed row in force every interval, stamped now. Reconnects by itself.
/// </summary>
public sealed class SimulatedDevice(
    string deviceId, string secret, string siteId, string ward, string kind, SensorSeries series, int startRow, SiteActivity activity)
{
    private long _published;
    private volatile bool _connected;

    public string DeviceId { get; } = deviceId;

    public string SiteId { get; } = siteId;

    /// <summary>The ward (phường) of the site's parcel.</summary>
    public string Ward { get; } = ward;

    /// <summary>noise, pm, vibration or tilt (<see cref="SensorKinds"/>).</summary>
    public string Kind { get; } = kind;

    public SiteActivity Activity { get; } = activity;

    /// <summary>Packs the broker acknowledged (QoS 1).</summary>
    public long Published => Interlocked.Read(ref _published);

    public bool IsConnected => _connected;

    /// <summary>The readings the device sends <paramref name="elapsed"/> of recorded time into the replay.</summary>
    public IReadOnlyList<(string Name, double Value)> ReadingsAt(TimeSpan elapsed)
    {
        var row = series.At(startRow, elapsed);
        return [.. series.Names.Select((name, i) => (name, Adjust(name, row.Values[i])))];
    }

    /// <summary>
    /// Publishes until <paramref name="cancellationToken"/> fires, then disconnects. Never throws: a lost broker is
    /// retried after <see cref="SimulatorOptions.ReconnectDelay"/>.
    /// </summary>
    /// <param name="elapsed">Recorded time replayed so far, shared by all devices.</param>
    /// <param name="connection">Told of each connection (null) and each failure (its message).</param>
    public async Task RunAsync(
        string host, int port, SimulatorOptions options, TimeProvider time, Func<TimeSpan> elapsed,
        Action<SimulatedDevice, string?> connection, ILogger logger, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var connect = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(DeviceId)
            .WithCredentials(DeviceId, secret)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        var topic = TelemetryTopic.For(DeviceId);
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = options.PublishInterval;
            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(connect, cancellationToken);
                    _connected = true;
                    connection(this, null);
                }
                var payload = Pack(DeviceId, time.GetUtcNow(), ReadingsAt(elapsed()));
                await client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(), cancellationToken);
                Interlocked.Increment(ref _published);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogDebug("Simulated device {DeviceId}: {Error}", DeviceId, e.Message);
                _connected = false;
                connection(this, e.Message);
                delay = options.ReconnectDelay;
            }
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await DisconnectAsync(client, logger);
        _connected = false;
    }

    /// <summary>
    /// The SenML pack (RFC 8428) the gateway expects: base name <c>urn:dev:hcm:{deviceId}:</c>, base time
    /// <paramref name="now"/> in Unix seconds, one record per reading with its unit.
    /// </summary>
    public static byte[] Pack(string deviceId, DateTimeOffset now, IReadOnlyList<(string Name, double Value)> readings)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            for (var i = 0; i < readings.Count; i++)
            {
                json.WriteStartObject();
                if (i == 0)
                {
                    json.WriteString("bn", TelemetryTopic.BaseName(deviceId));
                    json.WriteNumber("bt", now.ToUnixTimeMilliseconds() / 1000.0);
                }
                json.WriteString("n", readings[i].Name);
                json.WriteString("u", UnitOf(readings[i].Name));
                json.WriteNumber("v", Math.Round(readings[i].Value, 3));
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string UnitOf(string name) => name switch
    {
        "laeq" => "dBA",
        "pm10" or "pm25" => "ug/m3",
        "vibration" => "dB",
        "tilt" => "deg",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a SenML name of the platform."),
    };

    /// <summary>The site's activity on top of the recording, kept inside the range the gateway accepts.</summary>
    private double Adjust(string name, double value) => name switch
    {
        "laeq" => Math.Min(value + Activity.NoiseGainDb, 194),
        "pm10" or "pm25" => Math.Min(value * Activity.DustFactor, 999),
        _ => value,
    };

    private async Task DisconnectAsync(IMqttClient client, ILogger logger)
    {
        if (!client.IsConnected)
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogDebug("Simulated device {DeviceId} did not disconnect cleanly: {Error}", DeviceId, e.Message);
        }
    }
}
