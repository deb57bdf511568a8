using HcmCity.Sites.Tests.Sites;
using HcmCity.Abstractions.Sites;
using HcmCity.Sites.Telemetry;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Sites.Devices;
using HcmCity.Sites.Influx;
using HcmCity.Sites.Records;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace HcmCity.Sites.Tests.Broker;

/// <summary>
/// Device access control through the real mosquitto with its dynamic-security plugin, managed by the production
/// platform: provisioning creates the device's account, which may publish its own telemetry only; revocation deletes
/// it and mosquitto disconnects the device. Production sign-in needs an OIDC provider, so the test provisions and
/// revokes through the platform's services, as the sites API does.
/// </summary>
public sealed class MosquittoBrokerAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mosquitto_lets_a_provisioned_device_publish_its_own_telemetry_only_and_cuts_it_off_when_revoked()
    {
        await TestServices.RequireTcpAsync("mosquitto", TestServices.Mqtt, Ct);
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        await using var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(database.ConnectionString));
        var services = platform.Services;
        await services.GetRequiredService<InfluxClient>().EnsureDatabaseAsync(Ct);
        var repository = services.GetRequiredService<ISiteRepository>();
        var access = services.GetRequiredService<IDeviceAccess>();
        var grains = services.GetRequiredService<IGrainFactory>();
        await Eventually.TrueAsync(() => services.GetRequiredService<MqttIngestionService>().IsConnected);

        var fx = new ParcelFixtures();
        var parcels = services.GetRequiredService<IParcelStore>();
        await parcels.UpsertAsync([fx.Lot("1", 1, 0, 0, width: 20, depth: 30)], Ct);
        var parcel = (await parcels.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items.Single();
        var site = new SiteRecord($"site-{Guid.NewGuid():N}"[..17], "GPXD-88/2026", parcel.Id, parcel.Key.Unit, SiteZones.Normal,
            parcel.Geometry, SiteRepositoryContract.Conditions, SiteStatuses.Ok, null, DateTimeOffset.UtcNow);
        await repository.AddSiteAsync(site, Ct);
        async Task<DeviceCredentials> ProvisionAsync()
        {
            var device = new DeviceCredentials($"dev-{Guid.NewGuid():N}"[..20], SensorSecrets.NewSecret());
            await access.GrantAsync(device.DeviceId, device.Secret, Ct);
            await repository.AddSensorAsync(new SensorRecord(device.DeviceId, site.Id, SensorKinds.Noise, SensorSecrets.Hash(device.Secret), DateTimeOffset.UtcNow), Ct);
            await grains.GetGrain<ISensorGrain>(device.DeviceId).StartAsync();
            return device;
        }
        var device = await ProvisionAsync();
        var victim = await ProvisionAsync();
        var history = services.GetRequiredService<IReadingHistory>();
        var now = DateTimeOffset.UtcNow;
        async Task<long> ReadingsOfAsync(string deviceId) =>
            (await history.AggregateAsync(deviceId, now.AddMinutes(-1), now.AddMinutes(1), TimeSpan.FromHours(1), Ct)).Sum(b => b.Count);
        MqttApplicationMessage Telemetry(string topicDevice) => new MqttApplicationMessageBuilder()
            .WithTopic($"hcm/devices/{topicDevice}/telemetry")
            .WithPayload(SiteTestDriver.Senml(topicDevice, "dBA", ("laeq", 61.0, now)))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();

        var wrongPassword = await SiteTestDriver.ConnectResultAsync(TestServices.Mqtt, device.DeviceId, device.Secret + "x");
        var anonymous = await SiteTestDriver.ConnectResultAsync(TestServices.Mqtt, null, null);
        using var client = await SiteTestDriver.ConnectDeviceAsync(TestServices.Mqtt, device);
        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("hcm/devices/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        var forged = await client.PublishAsync(Telemetry(victim.DeviceId), Ct);
        var own = await client.PublishAsync(Telemetry(device.DeviceId), Ct);

        Assert.Contains(wrongPassword, new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized });
        Assert.Contains(anonymous, new[] { MqttClientConnectResultCode.BadUserNameOrPassword, MqttClientConnectResultCode.NotAuthorized });
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(subscribed.Items).ResultCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.True(own.IsSuccess, own.ReasonCode.ToString());
        await Eventually.ReturnsAsync(async () => await ReadingsOfAsync(device.DeviceId) == 1 ? "" : null);
        Assert.Equal(0, await ReadingsOfAsync(victim.DeviceId));

        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        Assert.NotNull(await repository.RevokeSensorAsync(device.DeviceId, DateTimeOffset.UtcNow, Ct));
        await grains.GetGrain<ISensorGrain>(device.DeviceId).RevokeAsync();
        await access.RevokeAsync(device.DeviceId, Ct);
        await access.RevokeAsync(device.DeviceId, Ct);

        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(client.IsConnected);
        Assert.NotEqual(MqttClientConnectResultCode.Success,
            await SiteTestDriver.ConnectResultAsync(TestServices.Mqtt, device.DeviceId, device.Secret));
        Assert.Equal(MqttClientConnectResultCode.Success,
            await SiteTestDriver.ConnectResultAsync(TestServices.Mqtt, victim.DeviceId, victim.Secret));
    }

    [Fact]
    public async Task Mosquitto_refuses_a_device_connecting_with_another_devices_client_id_and_that_device_stays_connected()
    {
        await TestServices.RequireTcpAsync("mosquitto", TestServices.Mqtt, Ct);
        await using var access = new MosquittoDeviceAccess(TestServices.MqttOptions(),
            Microsoft.Extensions.Options.Options.Create(new MqttAdminOptions { AdminUsername = TestServices.MqttAdminUsername, AdminPassword = TestServices.MqttAdminPassword }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MosquittoDeviceAccess>.Instance);
        var victim = new DeviceCredentials($"dev-{Guid.NewGuid():N}"[..20], SensorSecrets.NewSecret());
        var intruder = new DeviceCredentials($"dev-{Guid.NewGuid():N}"[..20], SensorSecrets.NewSecret());
        await access.GrantAsync(victim.DeviceId, victim.Secret, Ct);
        await access.GrantAsync(intruder.DeviceId, intruder.Secret, Ct);
        try
        {
            using var client = await SiteTestDriver.ConnectDeviceAsync(TestServices.Mqtt, victim);
            var disconnected = 0;
            client.DisconnectedAsync += _ =>
            {
                Interlocked.Increment(ref disconnected);
                return Task.CompletedTask;
            };

            // The intruder's own, valid credentials with the victim's client id: accepted, it would take the victim's session.
            var takeover = await SiteTestDriver.ConnectResultAsync(TestServices.Mqtt, intruder.DeviceId, intruder.Secret, clientId: victim.DeviceId);

            Assert.NotEqual(MqttClientConnectResultCode.Success, takeover);
            await client.PingAsync(Ct);
            Assert.True(client.IsConnected);
            Assert.Equal(0, Volatile.Read(ref disconnected));
            Assert.Equal(MqttClientConnectResultCode.Success,
                await SiteTestDriver.ConnectResultAsync(TestServices.Mqtt, intruder.DeviceId, intruder.Secret));
            await client.DisconnectAsync(cancellationToken: Ct);
        }
        finally
        {
            await access.RevokeAsync(victim.DeviceId, Ct);
            await access.RevokeAsync(intruder.DeviceId, Ct);
        }
    }
}
