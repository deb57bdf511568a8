using System.Globalization;
using System.Text;
using HcmCity.Testing;
using HcmCity.Sites.Influx;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>What the resilience tests do as a device and as a reader of InfluxDB.</summary>
internal static class ResilienceDriver
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client of the real InfluxDB (not through any relay of the test), on the platform's database.</summary>
    public static InfluxClient Influx() =>
        new(new HttpClient(), Options.Create(new InfluxOptions { Url = TestServices.Influx, Database = new InfluxOptions().Database }));

    /// <summary>How many points of <paramref name="deviceId"/> the real InfluxDB holds.</summary>
    public static async Task<long> CountAsync(string deviceId)
    {
        var series = await Influx().QueryAsync($"SELECT count(\"value\") FROM \"telemetry\" WHERE \"device\" = '{deviceId}'", Ct);
        return series.Count == 0 ? 0 : Convert.ToInt64(series[0].Rows[0][1], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A pack of <paramref name="count"/> noise readings of distinct milliseconds from <paramref name="first"/>, so each
    /// is its own point in InfluxDB and a reading delivered twice (QoS 1) is still counted once.
    /// </summary>
    public static string Pack(string deviceId, DateTimeOffset first, int count)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"[{{\"bn\":\"urn:dev:hcm:{deviceId}:\",\"bt\":{first.ToUnixTimeMilliseconds() / 1000.0}");
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? "," : ",{")
                .Append(CultureInfo.InvariantCulture, $"\"n\":\"laeq\",\"u\":\"dBA\",\"v\":{55 + (i % 10)},\"t\":{i / 1000.0}}}");
        }
        return text.Append(']').ToString();
    }

    /// <summary>MQTT 5 options of a device; a persistent session unless <paramref name="cleanStart"/>.</summary>
    public static MqttClientOptions DeviceOptions(string hostPort, string deviceId, string secret, bool cleanStart = true)
    {
        var (host, port) = HcmCity.ServiceDefaults.PlatformConfiguration.HostPort(hostPort);
        return new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(deviceId)
            .WithCredentials(deviceId, secret)
            .WithCleanStart(cleanStart)
            .WithSessionExpiryInterval(cleanStart ? 0u : 3600u)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
    }

    /// <summary>Publishes each pack with QoS 1 on one connection, asserting the broker acknowledged it.</summary>
    public static async Task PublishAsync(string hostPort, string deviceId, string secret, IEnumerable<string> packs)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(DeviceOptions(hostPort, deviceId, secret), Ct);
        foreach (var pack in packs)
        {
            var result = await client.PublishAsync(Message(deviceId, pack), Ct);
            // Before the gateway's subscription is in place the broker drops the message and says so: send it again.
            for (var attempt = 0; result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers && attempt < 100; attempt++)
            {
                await Task.Delay(100, Ct);
                result = await client.PublishAsync(Message(deviceId, pack), Ct);
            }
            Assert.True(result.IsSuccess, $"publish of {deviceId}: {result.ReasonCode}");
        }
        await client.DisconnectAsync(cancellationToken: Ct);
    }

    public static MqttApplicationMessage Message(string deviceId, string pack) => new MqttApplicationMessageBuilder()
        .WithTopic($"hcm/devices/{deviceId}/telemetry")
        .WithPayload(pack)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();
}
