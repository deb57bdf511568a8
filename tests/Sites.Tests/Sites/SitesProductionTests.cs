using System.Collections.Concurrent;
using HcmCity.Abstractions.Sites;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Sites.Influx;
using HcmCity.Sites.Records;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Sites.Tests.Sites;

/// <summary>
/// Site monitoring in production mode: mosquitto → gateway → Sensor grains on a Redis cluster → alerts in PostgreSQL,
/// readings in InfluxDB, events to a registered live host. Production sign-in needs an OIDC provider, so this test
/// registers through the platform's services and listens as an API host would, where the embedded tests use HTTP.
/// </summary>
public sealed class SitesProductionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Noise_over_the_limit_becomes_a_stored_alert_with_its_lifecycle_and_readings_in_influxdb_then_silence_is_offline()
    {
        await TestServices.RequireTcpAsync("mosquitto", TestServices.Mqtt, Ct);
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        await using var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(
            database.ConnectionString, new Dictionary<string, string?> { ["Sites:Monitoring:OfflineAfter"] = "00:00:03" }));
        var services = platform.Services;
        await services.GetRequiredService<InfluxClient>().EnsureDatabaseAsync(Ct);
        var grains = services.GetRequiredService<IGrainFactory>();
        var repository = services.GetRequiredService<ISiteRepository>();
        Assert.IsType<PostgresSiteRepository>(repository);

        var fx = new ParcelFixtures();
        var parcels = services.GetRequiredService<IParcelStore>();
        await parcels.UpsertAsync([fx.Lot("1", 1, 0, 0, width: 20, depth: 30)], Ct);
        var parcel = (await parcels.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items.Single();
        var site = new SiteRecord($"site-{Guid.NewGuid():N}"[..17], "GPXD-77/2026", parcel.Id, parcel.Key.Unit, SiteZones.Normal,
            parcel.Geometry, SiteRepositoryContract.Conditions, SiteStatuses.Ok, null, DateTimeOffset.UtcNow);
        await repository.AddSiteAsync(site, Ct);
        var deviceId = $"dev-{Guid.NewGuid():N}"[..20];
        var secret = SensorSecrets.NewSecret();
        await services.GetRequiredService<IDeviceAccess>().GrantAsync(deviceId, secret, Ct);
        await repository.AddSensorAsync(new SensorRecord(deviceId, site.Id, SensorKinds.Noise, SensorSecrets.Hash(secret), DateTimeOffset.UtcNow), Ct);
        await grains.GetGrain<ISensorGrain>(deviceId).StartAsync();

        var host = new RecordingHost();
        var reference = grains.CreateObjectReference<ISiteEventsObserver>(host);
        await grains.GetGrain<ILiveHubRegistryGrain>(0).RegisterAsync($"test-{Guid.NewGuid():N}", reference);

        var now = DateTimeOffset.UtcNow;
        await SiteTestDriver.PublishAsync(TestServices.Mqtt, new DeviceCredentials(deviceId, secret),
            SiteTestDriver.Senml(deviceId, "dBA", ("laeq", 80.0, now.AddSeconds(-3)), ("laeq", 80.0, now.AddSeconds(-2)), ("laeq", 80.0, now.AddSeconds(-1))));

        var raised = await host.WaitForAsync(e => e.Kind == SiteEvent.AlertKind && e.Alert!.Metric == "laeq");
        await host.WaitForAsync(e => e.Kind == SiteEvent.StatusKind && e.SiteId == site.Id && e.Status == SiteStatus.Violation);
        var alertId = raised.Alert!.Id;
        Assert.Equal(80, raised.Alert.Value!.Value, 6);
        Assert.Equal(site.Ward, raised.Ward);

        var siteGrain = grains.GetGrain<IConstructionSiteGrain>(site.Id);
        var acknowledged = await siteGrain.AcknowledgeAsync(alertId, "inspector-7");
        var resolved = await siteGrain.ResolveAsync(alertId, "inspector-8");
        var again = await siteGrain.ResolveAsync(alertId, "inspector-8");

        Assert.Equal(AlertActionOutcome.Done, acknowledged.Outcome);
        Assert.Equal(AlertActionOutcome.Done, resolved.Outcome);
        Assert.Equal(AlertActionOutcome.Conflict, again.Outcome);
        var stored = await new PostgresSiteRepository(database.DataSource).GetAlertAsync(alertId, Ct);
        Assert.NotNull(stored);
        Assert.Equal((AlertStates.Resolved, "inspector-7", "inspector-8"), (stored.State, stored.AcknowledgedBy, stored.ResolvedBy));
        Assert.NotNull(stored.AcknowledgedAt);
        Assert.True(stored.ResolvedAt >= stored.AcknowledgedAt);

        var history = services.GetRequiredService<IReadingHistory>();
        Assert.IsType<InfluxReadingHistory>(history);
        var buckets = await Eventually.ReturnsAsync(async () =>
        {
            var found = await history.AggregateAsync(deviceId, now.AddMinutes(-1), now.AddMinutes(1), TimeSpan.FromHours(1), Ct);
            return found.Sum(b => b.Count) == 3 ? found : null;
        });
        Assert.Equal(80, Assert.Single(buckets).Mean, 6);

        var offline = await host.WaitForAsync(e => e.Kind == SiteEvent.AlertKind && e.Alert!.Metric == "offline");
        await host.WaitForAsync(e => e.Kind == SiteEvent.StatusKind && e.SiteId == site.Id && e.Status == SiteStatus.Offline);
        Assert.Equal(deviceId, offline.Alert!.DeviceId);
        var open = await repository.ListOpenAlertsAsync(site.Id, Ct);
        Assert.Equal("offline", Assert.Single(open).Metric);
        Assert.Equal(SiteStatuses.Offline, (await repository.GetSiteAsync(site.Id, Ct))!.Status);
        GC.KeepAlive(host);
    }

    private sealed class RecordingHost : ISiteEventsObserver
    {
        private readonly ConcurrentQueue<SiteEvent> _events = new();

        public Task OnSiteEventsAsync(IReadOnlyList<SiteEvent> events)
        {
            foreach (var e in events)
            {
                _events.Enqueue(e);
            }
            return Task.CompletedTask;
        }

        public async Task<SiteEvent> WaitForAsync(Func<SiteEvent, bool> match)
        {
            SiteEvent? found = null;
            await Eventually.TrueAsync(() => (found = _events.FirstOrDefault(match)) is not null);
            return found!;
        }
    }
}
