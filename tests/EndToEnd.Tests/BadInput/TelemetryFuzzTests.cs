using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HcmCity.Sites.Telemetry;
using HcmCity.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.EndToEnd.Tests.BadInput;

/// <summary>
/// Hostile SenML from a provisioned device over the embedded broker, interleaved with valid readings: each hostile
/// pack is counted as rejected for that device and dropped, every valid reading reaches the chart, the device and the
/// gateway stay connected and the platform stays ready. Also the parser alone on random input, and the hub's message
/// size limit.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class TelemetryFuzzTests(BadInputPlatformFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Hostile payloads for <paramref name="deviceId"/>; each one must be rejected (never a reading).</summary>
    private static List<(string Kind, byte[] Payload)> HostilePayloads(Random random, string deviceId, DateTimeOffset now)
    {
        var bn = $"urn:dev:hcm:{deviceId}:";
        var t = (now.ToUnixTimeMilliseconds() / 1000.0).ToString("R", CultureInfo.InvariantCulture);
        string Pack(string record) => $$"""[{"bn":"{{bn}}","bt":{{t}},{{record}}}]""";
        var list = new List<(string, string)>
        {
            ("truncated", Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":55}")[..^7]),
            ("nan-token", Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":NaN")),
            ("infinity-token", Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":Infinity")),
            ("nan-string", Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":\"NaN\"")),
            ("overflow", Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":1e309")),
            ("unknown-name", Pack("\"n\":\"co2\",\"u\":\"ppm\",\"v\":400")),
            ("out-of-range", Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":1e12")),
            ("negative", Pack("\"n\":\"pm10\",\"u\":\"ug/m3\",\"v\":-5")),
            ("far-future", $$"""[{"bn":"{{bn}}","bt":4102444800,"n":"laeq","u":"dB","v":55}]"""),
            ("huge-time", $$"""[{"bn":"{{bn}}","bt":1e300,"n":"laeq","u":"dB","v":55}]"""),
            ("huge-negative-time", $$"""[{"bn":"{{bn}}","n":"laeq","u":"dB","v":55,"t":-1e300}]"""),
            ("far-past", $$"""[{"bn":"{{bn}}","bt":300000000,"n":"laeq","u":"dB","v":55}]"""),
            ("overflowing-time-sum", $$"""[{"bn":"{{bn}}","bt":1.7e308,"n":"laeq","u":"dB","v":55,"t":1.7e308}]"""),
            ("other-device", $$"""[{"bn":"urn:dev:hcm:dev-someone-else:","bt":{{t}},"n":"laeq","u":"dB","v":55}]"""),
            ("no-base-name", $$"""[{"n":"laeq","u":"dB","v":55}]"""),
            ("deep-nesting", new string('[', 5000) + new string(']', 5000)),
            ("nested-record", $$"""[[[[[{"bn":"{{bn}}","n":"laeq","v":55}]]]]]"""),
            ("too-many-records", "[" + string.Join(",", Enumerable.Repeat("{\"n\":\"laeq\",\"v\":50}", 300).Prepend($$"""{"bn":"{{bn}}","n":"laeq","v":50}""")) + "]"),
            ("not-an-array", $$"""{"bn":"{{bn}}","n":"laeq","v":55}"""),
            ("empty", ""),
            ("empty-pack", "[]"),
            ("wrong-unit", Pack("\"n\":\"laeq\",\"u\":\"Pa\",\"v\":55")),
            ("string-time", Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":55,\"t\":\"now\"")),
        };
        var payloads = list.Select(p => (p.Item1, Encoding.UTF8.GetBytes(p.Item2))).ToList();
        // A string of invalid UTF-8 inside otherwise valid JSON: found only when the string is read.
        payloads.Add(("invalid-utf8", [.. Encoding.UTF8.GetBytes("[{\"bn\":\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\",\"n\":\"laeq\",\"v\":55}]")]));
        payloads.Add(("bom-and-garbage", [0xEF, 0xBB, 0xBF, 0x00, 0x01, 0x02]));
        for (var i = 0; i < 10; i++)
        {
            var bytes = new byte[random.Next(1, 2048)];
            random.NextBytes(bytes);
            bytes[0] = (byte)'['; // starts like a pack, goes on as noise
            payloads.Add(($"random-bytes-{i}", bytes));
        }
        // Over the gateway's 16 KiB and under the broker's packet limit (64 KiB): refused by the broker (embedded) or
        // the parser (mosquitto), counted either way. A larger packet costs the device its connection
        // (EmbeddedBrokerAccessTests).
        payloads.Add(("40-KiB", Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat($$"""{"bn":"{{bn}}","n":"laeq","v":50}""", 40 * 1024 / 64)) + "]")));
        payloads.Add(("17-KiB", Encoding.UTF8.GetBytes(Pack("\"n\":\"laeq\",\"u\":\"dB\",\"v\":55,\"x\":\"" + new string('x', 17 * 1024) + "\""))));
        return payloads;
    }

    [Fact]
    public async Task Hostile_senml_is_counted_per_device_and_dropped_while_every_valid_reading_arrives_and_everyone_stays_connected()
    {
        var seed = 8428;
        TestContext.Current.TestOutputHelper?.WriteLine($"Seed {seed}");
        var random = new Random(seed);
        using var driver = new SiteTestDriver(fixture.Platform);
        var site = await driver.JsonAsync(HttpMethod.Post, "/api/sites", "officer", new { permitNumber = "GPXD-FUZZ/2026", parcelId = fixture.Lots[3].Id, zone = "normal" }, fixture.Lots[3].Key.Unit);
        var device = await driver.ProvisionAsync(site.GetProperty("id").GetString()!, "noise");
        var metrics = fixture.Platform.Services.GetRequiredService<GatewayMetrics>();
        var gateway = fixture.Platform.Services.GetServices<IHostedService>().OfType<MqttIngestionService>().Single();
        var now = DateTimeOffset.UtcNow;
        var hostile = HostilePayloads(random, device.DeviceId, now);
        Assert.Equal(0, metrics.RejectedFor(device.DeviceId));

        using var client = await SiteTestDriver.ConnectDeviceAsync(fixture.Broker, device);
        var valid = 0;
        var refusedByBroker = new List<string>();
        foreach (var (kind, payload) in hostile.OrderBy(_ => random.Next()))
        {
            var result = await PublishAsync(client, device.DeviceId, payload);
            if (!result.IsSuccess)
            {
                Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, result.ReasonCode);
                refusedByBroker.Add(kind);
            }
            // A valid reading after each hostile pack, 1 s apart and all in the past minute: each must arrive.
            valid++;
            var reading = SiteTestDriver.Senml(device.DeviceId, "dBA", ("laeq", 40 + (valid % 20), now.AddSeconds(-60 + valid)));
            Assert.True((await PublishAsync(client, device.DeviceId, Encoding.UTF8.GetBytes(reading))).IsSuccess);
        }

        Assert.Equal(new[] { "17-KiB", "40-KiB" }, refusedByBroker.Order(StringComparer.Ordinal).ToArray());
        await Eventually.TrueAsync(() => metrics.RejectedFor(device.DeviceId) >= hostile.Count);
        var chart = await Eventually.ReturnsAsync(async () =>
        {
            var readings = await driver.JsonAsync(HttpMethod.Get,
                $"/api/sensors/{device.DeviceId}/readings?from={Uri.EscapeDataString(now.AddMinutes(-5).ToString("O"))}&every=1h", "inspector");
            var count = readings.GetProperty("series").EnumerateArray().SelectMany(s => s.GetProperty("points").EnumerateArray()).Sum(p => p.GetProperty("count").GetInt64());
            return count >= valid ? readings.GetRawText() : null;
        });
        var series = Assert.Single(JsonDocument.Parse(chart).RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal("laeq", series.GetProperty("name").GetString());
        Assert.Equal(valid, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
        // Exactly one rejection per hostile pack: nothing was counted twice, nothing valid was rejected.
        Assert.Equal(hostile.Count, metrics.RejectedFor(device.DeviceId));
        Assert.True(client.IsConnected, "the device was disconnected");
        Assert.True(gateway.IsConnected, "the gateway was disconnected");
        await fixture.AssertHealthyAsync();
        await client.DisconnectAsync(cancellationToken: Ct);
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string deviceId, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"hcm/devices/{deviceId}/telemetry")
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

    [Fact]
    public void The_senml_parser_never_throws_on_random_or_mutated_input()
    {
        const int Seed = 8428_2;
        TestContext.Current.TestOutputHelper?.WriteLine($"Seed {Seed}");
        var random = new Random(Seed);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);
        var valid = Encoding.UTF8.GetBytes("""[{"bn":"urn:dev:hcm:d1:","bt":1767225000,"n":"laeq","u":"dB","v":67.3},{"n":"pm25","u":"ug/m3","v":41,"t":60}]""");
        string[] tokens = ["NaN", "1e309", "-1e300", "1e300", "\"\\uD800\"", "null", "[]", "{}", "-0", "4102444800", "300000000", "\"laeq\"", "true"];
        for (var i = 0; i < 5000; i++)
        {
            byte[] payload;
            switch (i % 3)
            {
                case 0:
                    payload = new byte[random.Next(0, 512)];
                    random.NextBytes(payload);
                    break;
                case 1:
                    payload = [.. valid];
                    for (var m = random.Next(1, 6); m > 0; m--)
                    {
                        payload[random.Next(payload.Length)] = (byte)random.Next(256);
                    }
                    break;
                default:
                    var text = Encoding.UTF8.GetString(valid);
                    var at = random.Next(text.Length);
                    payload = Encoding.UTF8.GetBytes(text[..at] + tokens[random.Next(tokens.Length)] + text[Math.Min(text.Length, at + random.Next(0, 8))..]);
                    break;
            }
            var result = SenmlParser.Parse(new ReadOnlySequence<byte>(payload), "d1", now);
            Assert.True(result.Rejection is not null || result.Readings.Count > 0, $"case {i}: neither readings nor a rejection");
            Assert.All(result.Readings, r => Assert.True(double.IsFinite(r.Value) && r.Time <= now.AddMinutes(5) && r.Time >= now - SenmlParser.MaxReadingAge,
                $"case {i}: implausible reading {r}"));
        }
    }

    [Theory]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","bt":1e300,"n":"laeq","v":60}]""", "time-in-future")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","n":"laeq","v":60,"t":-1e300}]""", "time-in-past")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","bt":300000000,"n":"laeq","v":60}]""", "time-in-past")]
    [InlineData("""[{"bn":"urn:dev:hcm:d1:","bt":1.7e308,"n":"laeq","v":60,"t":1.7e308}]""", "bad-time")]
    public void Times_that_no_clock_could_give_are_rejected_with_a_reason(string json, string reason) =>
        Assert.Equal(reason, SenmlParser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), "d1", DateTimeOffset.FromUnixTimeSeconds(1_767_225_600)).Rejection);

    [Fact]
    public async Task A_hub_message_over_the_limit_closes_only_that_connection()
    {
        var token = fixture.Token("inspector");
        HubConnection Connect() => new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Platform.BaseAddress, "hubs/map"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await using var bystander = Connect();
        await using var attacker = Connect();
        await bystander.StartAsync(Ct);
        await attacker.StartAsync(Ct);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        attacker.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };

        // Within the limit: an ordinary (if odd) call.
        await attacker.InvokeAsync("SubscribeWard", new string('w', 1024), Ct);
        // Over it: the server closes this connection instead of reading the message.
        var oversized = new string('w', (int)HcmCity.Sites.Live.MapHub.MaxMessageBytes + 1024);
        await Assert.ThrowsAnyAsync<Exception>(() => attacker.InvokeAsync("SubscribeWard", oversized, Ct));
        await closed.Task.WaitAsync(Ct);
        Assert.Equal(HubConnectionState.Disconnected, attacker.State);

        Assert.Equal(HubConnectionState.Connected, bystander.State);
        await bystander.InvokeAsync("SubscribeArea", 106.6, 10.7, 106.8, 10.9, Ct);
        await fixture.AssertHealthyAsync();
    }
}
