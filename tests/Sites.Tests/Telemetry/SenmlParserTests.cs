using HcmCity.Testing;
using System.Buffers;
using System.Text;
using HcmCity.Sites.Telemetry;

namespace HcmCity.Sites.Tests.Telemetry;

public sealed class SenmlParserTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);

    private static SenmlResult Parse(string json, string device = "d1") =>
        SenmlParser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), device, Now);

    [Fact]
    public void A_pack_with_base_name_and_base_time_yields_absolute_readings()
    {
        var result = Parse("""[{"bn":"urn:dev:hcm:d1:","bt":1767225000,"n":"laeq","u":"dB","v":67.3},{"n":"pm25","u":"ug/m3","v":41,"t":60}]""");
        Assert.Null(result.Rejection);
        Assert.Collection(result.Readings,
            r => Assert.Equal(("laeq", 67.3, 1_767_225_000L), (r.Name, r.Value, r.Time.ToUnixTimeSeconds())),
            r => Assert.Equal(("pm25", 41.0, 1_767_225_060L), (r.Name, r.Value, r.Time.ToUnixTimeSeconds())));
    }

    [Fact]
    public void Small_times_are_relative_to_now_as_rfc_8428_says()
    {
        var result = Parse("""[{"n":"urn:dev:hcm:d1:tilt","u":"deg","v":0.4,"t":-30}]""");
        Assert.Equal(Now.AddSeconds(-30), Assert.Single(result.Readings).Time);
    }

    [Theory]
    [InlineData("{", "malformed-json")]
    [InlineData("{}", "not-a-senml-pack")]
    [InlineData("[]", "not-a-senml-pack")]
    [InlineData("""[{"bn":"urn:dev:hcm:other:","n":"laeq","v":60}]""", "base-name-mismatch")]
    [InlineData("""[{"n":"laeq","v":60}]""", "base-name-mismatch")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","n":"co2","v":400}]""", "unknown-name")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","n":"laeq","u":"Pa","v":60}]""", "wrong-unit")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","n":"laeq"}]""", "missing-value")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","n":"pm10","v":1999.9}]""", "out-of-range")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","n":"tilt","v":-91}]""", "out-of-range")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","bt":1967225600,"n":"laeq","v":60}]""", "time-in-future")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","n":"laeq","v":"loud"}]""", "missing-value")]
    public void Bad_packs_are_rejected_with_a_reason(string json, string reason) =>
        Assert.Equal(reason, Parse(json).Rejection);

    [Fact]
    public void Oversized_payloads_are_rejected_before_parsing()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"bn":"urn:dev:hcm:d1:","n":"laeq","v":60}""", 1000)) + "]";
        Assert.Equal("oversized", Parse(json).Rejection);
    }

    [Theory]
    [InlineData("hcm/devices/abc/telemetry", "abc")]
    [InlineData("hcm/devices/a/b/telemetry", null)]
    [InlineData("hcm/devices//telemetry", null)]
    [InlineData("other/abc/telemetry", null)]
    public void Device_id_comes_from_the_topic(string topic, string? expected) =>
        Assert.Equal(expected, MqttIngestionService.DeviceIdFrom(topic));
}
