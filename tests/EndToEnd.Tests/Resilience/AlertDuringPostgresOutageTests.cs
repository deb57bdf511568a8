using HcmCity.Abstractions.Sites;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Sites.Records;
using HcmCity.Sites.Telemetry;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>
/// PostgreSQL goes away while a site's noise sensor reports a violation: the alert cannot be stored, so the gateway
/// leaves the telemetry unacknowledged and the sensor keeps its level; once PostgreSQL is back the broker's
/// redelivery raises the alert, once. The outage is a relay the test cuts (<see cref="TcpProxy"/>); the test reads
/// the database directly, past the relay.
/// </summary>
public sealed class AlertDuringPostgresOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Normal-zone national limits: QCVN 26:2010/BTNMT 70/55 dB(A) by day/night, the rest as provisioning sets them.</summary>
    private static readonly SiteConditions Normal = new(
        new TimeOnly(6, 0), new TimeOnly(21, 0), 70, 55, 75, null, 100, 45, 0.5, 1.0);

    [Fact]
    public async Task A_violation_reported_while_the_database_is_down_raises_its_alert_once_when_it_is_back()
    {
        await TestServices.RequireTcpAsync("Redis", TestServices.Redis, Ct);
        await ResilienceDriver.Influx().EnsureDatabaseAsync(Ct);
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(server.Host!, server.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Timeout = 5 }.ConnectionString;
        // A broker of its own: it lets anyone in, so the sensor is provisioned without a mosquitto account.
        await using var broker = await PrivateMosquitto.StartAsync();
        await using var platform = await PlatformInstance.StartAsync(PlatformInstance.ProductionSettings(viaProxy,
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Mqtt"] = broker.HostPort,
                ["LandRecords:SeedParcels"] = "0",
            }));
        var services = platform.Services;
        var metrics = services.GetRequiredService<GatewayMetrics>();
        var (siteId, deviceId) = await ProvisionNoiseSensorAsync(services);

        // Telemetry flowing: a quiet reading goes through every sink.
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, "any", [Pack(deviceId, 55, start)]);
        await Eventually.TrueAsync(() => metrics.Written == 1);

        proxy.Block();

        // Six 120 dB(A) readings, one message each: the broker acknowledges them to the device (QoS 1).
        const int Loud = 6;
        await ResilienceDriver.PublishAsync(broker.HostPort, deviceId, "any",
            Enumerable.Range(1, Loud).Select(i => Pack(deviceId, 120, start.AddSeconds(i))));
        // The third loud reading raises the level (RaiseAfter = 3), and the site cannot store its alert: from that
        // reading on nothing is written, so nothing is acknowledged to the broker.
        await Eventually.TrueAsync(() => metrics.Unwritten >= Loud - 2);
        Assert.True(metrics.Written < 1 + Loud, $"{metrics.Written} readings counted as written while the alert could not be stored");
        Assert.Equal(0, await AlertCountAsync(database, siteId, deviceId));

        proxy.Unblock();

        // The gateway reconnected and the broker sent the unacknowledged readings again; judged again, they raise it.
        await Eventually.ReturnsAsync(async () => await AlertCountAsync(database, siteId, deviceId) > 0 ? "raised" : null, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => metrics.Written >= 1 + Loud, TimeSpan.FromSeconds(60));
        Assert.Equal(1, await AlertCountAsync(database, siteId, deviceId));
        var snapshot = await services.GetRequiredService<IGrainFactory>().GetGrain<IConstructionSiteGrain>(siteId).GetAsync();
        Assert.Equal(SiteStatus.Violation, snapshot.Status);
        var alert = Assert.Single(snapshot.OpenAlerts);
        Assert.Equal((deviceId, "laeq", "violation"), (alert.DeviceId, alert.Metric, alert.Severity));
        Assert.Equal(SiteStatuses.Violation, (await services.GetRequiredService<ISiteRepository>().GetSiteAsync(siteId, Ct))!.Status);
    }

    /// <summary>A site on a fresh parcel and a noise sensor on it, as provisioning stores them.</summary>
    private static async Task<(string SiteId, string DeviceId)> ProvisionNoiseSensorAsync(IServiceProvider services)
    {
        var fx = new ParcelFixtures();
        var parcels = services.GetRequiredService<IParcelStore>();
        await parcels.UpsertAsync([fx.Lot("1", 1, 0, 0, width: 20, depth: 30)], Ct);
        var parcel = (await parcels.SearchAsync(new ParcelQuery(Unit: fx.Unit), Ct)).Items.Single();
        var repository = services.GetRequiredService<ISiteRepository>();
        var site = new SiteRecord($"site-{Guid.NewGuid():N}"[..17], "GPXD-11/2026", parcel.Id, parcel.Key.Unit, SiteZones.Normal,
            parcel.Geometry, Normal, SiteStatuses.Ok, null, DateTimeOffset.UtcNow);
        await repository.AddSiteAsync(site, Ct);
        var deviceId = $"pgout{Guid.NewGuid():N}"[..20];
        await repository.AddSensorAsync(new SensorRecord(deviceId, site.Id, SensorKinds.Noise, SensorSecrets.Hash("any"), DateTimeOffset.UtcNow), Ct);
        await services.GetRequiredService<IGrainFactory>().GetGrain<ISensorGrain>(deviceId).StartAsync();
        return (site.Id, deviceId);
    }

    private static string Pack(string deviceId, double db, DateTimeOffset at) =>
        SiteTestDriver.Senml(deviceId, "dBA", ("laeq", db, at));

    /// <summary>The site's stored noise alerts of the device, read from PostgreSQL itself (not through the relay).</summary>
    private static async Task<long> AlertCountAsync(PostgresDatabase database, string siteId, string deviceId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM site_alerts WHERE site_id = @site AND device_id = @device AND metric = 'laeq'", connection);
        command.Parameters.AddWithValue("site", siteId);
        command.Parameters.AddWithValue("device", deviceId);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
