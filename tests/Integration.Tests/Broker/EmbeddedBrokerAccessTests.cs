using System.Net;
using HcmCity.Sites.Telemetry;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Integration.Tests.Infrastructure;
using HcmCity.Integration.Tests.Sites;
using HcmCity.Sites.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.Integration.Tests.Broker;

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
