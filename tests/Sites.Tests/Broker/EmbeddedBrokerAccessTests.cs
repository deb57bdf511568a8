using HcmCity.Sites.Tests.Sites;
using System.Net;
using HcmCity.Sites.Telemetry;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Sites.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.Sites.Tests.Broker;

/// <summary>
/// The embedded broker's access control: a device connects with its provisioned credentials only, publishes to its
/// own telemetry topic only, subscribes to nothing, and is cut off when its sensor is revoked.
/// </summary>
public sealed class EmbeddedBrokerAccessTests(SitesPlatformFixture fixture) : IClassFixture<SitesPlatformFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PlatformInstance Platform => fixture.Platform;

    private string Broker => $"127.0.0.1:{Platform.MqttPort}";

    private GatewayMetrics Metrics => Platform.Services.GetRequiredService<GatewayMetrics>();

    private async Task<(SiteTestDriver Driver, string SiteId)> SiteAsync(int skip)
    {
        var driver = new SiteTestDriver(Platform);
        var parcel = (await Platform.Services.GetRequiredService<IParcelStore>().SearchAsync(new ParcelQuery(Unit: SiteTestDriver.DefaultUnit, Limit: 1, Offset: skip), Ct)).Items[0];
        var site = await driver.RegisterSiteAsync(parcel.Id);
        return (driver, site.GetProperty("id").GetString()!);
    }

    private static MqttApplicationMessage Telemetry(string topicDeviceId, string packDeviceId) => new MqttApplicationMessageBuilder()
        .WithTopic($"hcm/devices/{topicDeviceId}/telemetry")
        .WithPayload(SiteTestDriver.Senml(packDeviceId, "dBA", ("laeq", 55.0, DateTimeOffset.UtcNow)))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    private async Task<bool> HasReadingsAsync(SiteTestDriver driver, string deviceId)
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"));
        var readings = await driver.JsonAsync(HttpMethod.Get, $"/api/sensors/{deviceId}/readings?from={from}&every=1h", "inspector");
        return readings.GetProperty("series").EnumerateArray().Any(s => s.GetProperty("points").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_provisioned_device_publishes_with_its_secret_and_its_reading_is_accepted()
    {
        var (driver, siteId) = await SiteAsync(21);
        using var _ = driver;
        var device = await driver.ProvisionAsync(siteId, "noise");

        await SiteTestDriver.PublishAsync(Broker, device, SiteTestDriver.Senml(device.DeviceId, "dBA", ("laeq", 55.0, DateTimeOffset.UtcNow)));

        await Eventually.ReturnsAsync(async () => await HasReadingsAsync(driver, device.DeviceId) ? "" : null);
        Assert.Equal((0L, 0L), (Metrics.UnknownFor(device.DeviceId), Metrics.DeniedFor(device.DeviceId)));
    }

    [Fact]
    public async Task A_wrong_secret_an_unknown_device_and_no_credentials_are_refused()
    {
        var (driver, siteId) = await SiteAsync(22);
        using var _ = driver;
        var device = await driver.ProvisionAsync(siteId, "noise");

        var right = await SiteTestDriver.ConnectResultAsync(Broker, device.DeviceId, device.Secret);
        var wrongSecret = await SiteTestDriver.ConnectResultAsync(Broker, device.DeviceId, device.Secret + "x");
        var unknown = await SiteTestDriver.ConnectResultAsync(Broker, "dev-nobody", device.Secret);
        var noCredentials = await SiteTestDriver.ConnectResultAsync(Broker, null, null);

        Assert.Equal(MqttClientConnectResultCode.Success, right);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrongSecret);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, unknown);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, noCredentials);
    }

    [Fact]
    public async Task A_device_cannot_take_the_gateways_client_id()
    {
        var (driver, siteId) = await SiteAsync(23);
        using var _ = driver;
        var device = await driver.ProvisionAsync(siteId, "noise");
        var gateway = Platform.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;

        var refused = await SiteTestDriver.ConnectResultAsync(Broker, device.DeviceId, device.Secret, clientId: gateway.ClientId);

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, refused);
        await Eventually.TrueAsync(() => Platform.Services.GetRequiredService<HcmCity.Sites.Telemetry.MqttIngestionService>().IsConnected);
    }

    [Fact]
    public async Task A_device_connecting_with_another_devices_client_id_is_refused_and_that_device_stays_connected()
    {
        var (driver, siteId) = await SiteAsync(28);
        using var _ = driver;
        var victim = await driver.ProvisionAsync(siteId, "noise");
        var intruder = await driver.ProvisionAsync(siteId, "noise");
        using var client = await SiteTestDriver.ConnectDeviceAsync(Broker, victim);
        var disconnected = 0;
        client.DisconnectedAsync += _ =>
        {
            Interlocked.Increment(ref disconnected);
            return Task.CompletedTask;
        };

        // The intruder's own, valid credentials with the victim's client id: a broker accepting it would disconnect
        // the victim to hand its session over.
        var takeover = await SiteTestDriver.ConnectResultAsync(Broker, intruder.DeviceId, intruder.Secret, clientId: victim.DeviceId);

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, takeover);
        // The victim's connection still answers, and the intruder connects under its own id.
        await client.PingAsync(Ct);
        Assert.True(client.IsConnected);
        Assert.Equal(0, Volatile.Read(ref disconnected));
        Assert.Equal(MqttClientConnectResultCode.Success, await SiteTestDriver.ConnectResultAsync(Broker, intruder.DeviceId, intruder.Secret));
        Assert.Equal(1, Metrics.DeniedFor(intruder.DeviceId));
    }

    [Fact]
    public async Task A_packet_announced_over_the_size_limit_closes_the_connection_before_its_body_is_read()
    {
        var (driver, siteId) = await SiteAsync(29);
        using var _ = driver;
        var device = await driver.ProvisionAsync(siteId, "noise");
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, Platform.MqttPort, Ct);
        var stream = socket.GetStream();
        await stream.WriteAsync(MqttBytes.Connect(device.DeviceId, device.DeviceId, device.Secret), Ct);
        var connack = new byte[4];
        await stream.ReadExactlyAsync(connack, Ct);
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, connack);

        // A PUBLISH announcing 100 MiB, of which only the fixed header is sent: a broker that reads (and allocates)
        // the body it announced keeps waiting for it; one that refuses it closes the connection at once.
        await stream.WriteAsync(MqttBytes.FixedHeader(0x30, 100L * 1024 * 1024), Ct);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(Eventually.DefaultTimeout);
        int read;
        try
        {
            read = await stream.ReadAsync(new byte[16], guard.Token);
        }
        catch (IOException)
        {
            read = 0;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail("The broker kept the connection open, waiting for the 100 MiB body it was announced.");
            return;
        }

        Assert.Equal(0, read);
        // The broker is still there for everyone else, and for the device on a new connection.
        await SiteTestDriver.PublishAsync(Broker, device, SiteTestDriver.Senml(device.DeviceId, "dBA", ("laeq", 55.0, DateTimeOffset.UtcNow)));
        await Eventually.ReturnsAsync(async () => await HasReadingsAsync(driver, device.DeviceId) ? "" : null);
    }

    [Fact]
    public async Task A_device_publishing_over_the_packet_size_limit_is_disconnected_and_the_gateway_stays_connected()
    {
        var (driver, siteId) = await SiteAsync(30);
        using var _ = driver;
        var device = await driver.ProvisionAsync(siteId, "noise");
        using var client = await SiteTestDriver.ConnectDeviceAsync(Broker, device);
        var limit = Platform.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxPacketBytes;

        var oversized = new MqttApplicationMessageBuilder()
            .WithTopic($"hcm/devices/{device.DeviceId}/telemetry")
            .WithPayload(new byte[limit + 1])
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await Assert.ThrowsAnyAsync<MQTTnet.Exceptions.MqttCommunicationException>(() => client.PublishAsync(oversized, Ct));

        await Eventually.TrueAsync(() => !client.IsConnected);
        Assert.True(Platform.Services.GetRequiredService<MqttIngestionService>().IsConnected);
    }

    [Fact]
    public async Task A_device_publishing_on_another_devices_topic_is_refused_and_nothing_is_recorded()
    {
        var (driver, siteId) = await SiteAsync(24);
        using var _ = driver;
        var intruder = await driver.ProvisionAsync(siteId, "noise");
        var victim = await driver.ProvisionAsync(siteId, "noise");
        using var client = await SiteTestDriver.ConnectDeviceAsync(Broker, intruder);

        var forged = await client.PublishAsync(Telemetry(victim.DeviceId, victim.DeviceId), Ct);
        // The intruder's own pack afterwards: once it is recorded, the forged one (sent before) would have been too.
        var own = await client.PublishAsync(Telemetry(intruder.DeviceId, intruder.DeviceId), Ct);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.True(own.IsSuccess);
        await Eventually.ReturnsAsync(async () => await HasReadingsAsync(driver, intruder.DeviceId) ? "" : null);
        Assert.False(await HasReadingsAsync(driver, victim.DeviceId));
        Assert.Equal(1, Metrics.DeniedFor(intruder.DeviceId));
    }

    [Fact]
    public async Task A_device_may_not_subscribe_to_device_telemetry()
    {
        var (driver, siteId) = await SiteAsync(25);
        using var _ = driver;
        var spy = await driver.ProvisionAsync(siteId, "noise");
        var other = await driver.ProvisionAsync(siteId, "noise");
        using var client = await SiteTestDriver.ConnectDeviceAsync(Broker, spy);
        var received = 0;
        client.ApplicationMessageReceivedAsync += _ =>
        {
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };

        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("hcm/devices/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        await SiteTestDriver.PublishAsync(Broker, other, SiteTestDriver.Senml(other.DeviceId, "dBA", ("laeq", 60.0, DateTimeOffset.UtcNow)));

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(subscribed.Items).ResultCode);
        // The gateway got the other device's pack, so it crossed the broker; the spy got nothing.
        await Eventually.ReturnsAsync(async () => await HasReadingsAsync(driver, other.DeviceId) ? "" : null);
        Assert.Equal(0, Volatile.Read(ref received));
        Assert.Equal(1, Metrics.DeniedFor(spy.DeviceId));
    }

    [Fact]
    public async Task Revocation_disconnects_the_device_refuses_it_afterwards_and_drops_its_readings()
    {
        var (driver, siteId) = await SiteAsync(26);
        using var _ = driver;
        var device = await driver.ProvisionAsync(siteId, "noise");
        using var client = await SiteTestDriver.ConnectDeviceAsync(Broker, device);
        var disconnected = new TaskCompletionSource<MqttClientDisconnectReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            disconnected.TrySetResult(e.Reason);
            return Task.CompletedTask;
        };

        var revoked = await driver.JsonAsync(HttpMethod.Post, $"/api/sensors/{device.DeviceId}/revocation", "officer");
        var again = await driver.JsonAsync(HttpMethod.Post, $"/api/sensors/{device.DeviceId}/revocation", "officer");

        Assert.Equal(MqttClientDisconnectReason.NotAuthorized, await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.False(client.IsConnected);
        Assert.Equal(device.DeviceId, revoked.GetProperty("deviceId").GetString());
        Assert.Equal(revoked.GetProperty("revokedAt").GetDateTimeOffset(), again.GetProperty("revokedAt").GetDateTimeOffset());
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword,
            await SiteTestDriver.ConnectResultAsync(Broker, device.DeviceId, device.Secret));
        Assert.False(await Platform.Services.GetRequiredService<ISensorCredentials>().VerifyAsync(device.DeviceId, device.Secret, Ct));

        // Readings of the revoked device reaching the gateway anyway are dropped like an unknown device's.
        var now = DateTimeOffset.UtcNow;
        await Platform.Services.GetRequiredService<ReadingPipeline>().EnqueueAsync(
            [new(device.DeviceId, "laeq", 90.0, now.AddSeconds(-1)), new(device.DeviceId, "laeq", 91.0, now)], Ct);
        await Eventually.TrueAsync(() => Metrics.UnknownFor(device.DeviceId) == 2);
    }

    [Fact]
    public async Task Revocation_is_for_officers_and_an_unknown_sensor_is_404()
    {
        var (driver, siteId) = await SiteAsync(27);
        using var _ = driver;
        var device = await driver.ProvisionAsync(siteId, "noise");
        var url = $"/api/sensors/{device.DeviceId}/revocation";

        using var anonymous = await driver.SendAsync(HttpMethod.Post, url, null);
        using var inspector = await driver.SendAsync(HttpMethod.Post, url, "inspector");
        using var unknown = await driver.SendAsync(HttpMethod.Post, "/api/sensors/dev-nobody/revocation", "officer");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, inspector.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True(await Platform.Services.GetRequiredService<ISensorCredentials>().VerifyAsync(device.DeviceId, device.Secret, Ct));
    }
}

/// <summary>MQTT 3.1.1 packets written byte by byte, for what a well-behaved client library would not send.</summary>
internal static class MqttBytes
{
    /// <summary>CONNECT with clean session, username and password, and no keep-alive (the broker never times it out).</summary>
    public static byte[] Connect(string clientId, string username, string password)
    {
        List<byte> body = [0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xC2, 0, 0];
        foreach (var text in new[] { clientId, username, password })
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }
        return [.. FixedHeader(0x10, body.Count), .. body];
    }

    /// <summary>The packet type byte and the remaining length as a variable byte integer (MQTT §2.2.3).</summary>
    public static byte[] FixedHeader(byte type, long remainingLength)
    {
        List<byte> header = [type];
        do
        {
            var digit = (byte)(remainingLength % 128);
            remainingLength /= 128;
            header.Add(remainingLength > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remainingLength > 0);
        return [.. header];
    }
}
