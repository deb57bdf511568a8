using HcmCity.Testing;
using HcmCity.Abstractions.Sites;
using HcmCity.Gis.Crs;
using HcmCity.Sites.Records;
using NetTopologySuite.Geometries;

namespace HcmCity.Sites.Tests.Sites;

/// <summary>
/// What every <see cref="ISiteRepository"/> must do, run against memory and PostgreSQL. Each test uses its own
/// ward code and patch of ground, so the suite can share a database.
/// </summary>
public abstract class SiteRepositoryContract
{
    protected abstract ISiteRepository CreateRepository();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Created = new(2026, 7, 2, 8, 0, 0, TimeSpan.Zero);

    internal static SiteConditions Conditions { get; } = new(
        new TimeOnly(6, 0), new TimeOnly(21, 0), 70, 55, 75, null, 100, 45, 0.5, 1.0);

    /// <summary>A 20 m square site at a random spot near central Ho Chi Minh City.</summary>
    internal static SiteRecord Site(string ward, double? lon = null, double? lat = null)
    {
        var x = lon ?? 106.6 + Random.Shared.NextDouble() * 0.2;
        var y = lat ?? 10.7 + Random.Shared.NextDouble() * 0.1;
        const double d = 0.0002;
        var square = GeometryFactories.For(Srid.Wgs84).CreatePolygon(
            [new(x, y), new(x + d, y), new(x + d, y + d), new(x, y + d), new(x, y)]);
        return new SiteRecord($"site-{Guid.NewGuid():N}"[..17], "GP-123/2026", 42, ward, SiteZones.Normal, square,
            Conditions, SiteStatuses.Ok, null, Created);
    }

    private static string NewWard() => "w" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_stored_site_comes_back_with_its_footprint_and_conditions()
    {
        var repository = CreateRepository();
        var site = Site(NewWard()) with { Conditions = Conditions with { VibrationNightDb = 58, TiltWarningDeg = null } };

        await repository.AddSiteAsync(site, Ct);
        var got = await repository.GetSiteAsync(site.Id, Ct);

        Assert.NotNull(got);
        Assert.Equal(site.Conditions, got.Conditions);
        Assert.True(got.Footprint.EqualsExact(site.Footprint, 1e-9));
        Assert.Equal(4326, got.Footprint.SRID);
        Assert.Equal((site.Id, site.Ward, site.Zone, site.Status, site.CreatedAt), (got.Id, got.Ward, got.Zone, got.Status, got.CreatedAt));
        Assert.Null(await repository.GetSiteAsync("site-missing", Ct));
    }

    [Fact]
    public async Task Search_filters_by_ward_and_by_bbox()
    {
        var repository = CreateRepository();
        var ward = NewWard();
        var a = Site(ward, 106.70, 10.77);
        var b = Site(ward, 106.71, 10.78);
        var elsewhere = Site(NewWard(), 106.70, 10.77);
        foreach (var site in new[] { a, b, elsewhere })
        {
            await repository.AddSiteAsync(site, Ct);
        }

        var inWard = await repository.SearchSitesAsync(new SiteQuery(Ward: ward), Ct);
        var inBox = await repository.SearchSitesAsync(new SiteQuery(Ward: ward, Bbox: new Envelope(106.705, 106.72, 10.775, 10.79)), Ct);

        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), inWard.Select(s => s.Id));
        Assert.Equal(b.Id, Assert.Single(inBox).Id);
    }

    [Fact]
    public async Task Status_updates_are_kept()
    {
        var repository = CreateRepository();
        var site = Site(NewWard());
        await repository.AddSiteAsync(site, Ct);
        var since = Created.AddHours(1);

        await repository.UpdateStatusAsync(site.Id, SiteStatuses.Violation, since, Ct);
        var got = await repository.GetSiteAsync(site.Id, Ct);

        Assert.Equal((SiteStatuses.Violation, since), (got!.Status, got.StatusSince));
    }

    [Fact]
    public async Task Sensors_are_listed_by_site_and_found_by_device_id()
    {
        var repository = CreateRepository();
        var site = Site(NewWard());
        await repository.AddSiteAsync(site, Ct);
        var noise = new SensorRecord($"dev-{Guid.NewGuid():N}"[..20], site.Id, SensorKinds.Noise, SensorSecrets.Hash("s1"), Created);
        var dust = new SensorRecord($"dev-{Guid.NewGuid():N}"[..20], site.Id, SensorKinds.Pm, SensorSecrets.Hash("s2"), Created);

        await repository.AddSensorAsync(noise, Ct);
        await repository.AddSensorAsync(dust, Ct);

        Assert.Equal(new[] { noise, dust }.OrderBy(s => s.DeviceId, StringComparer.Ordinal), await repository.ListSensorsAsync(site.Id, Ct));
        Assert.Equal(dust, await repository.GetSensorAsync(dust.DeviceId, Ct));
        Assert.Null(await repository.GetSensorAsync("dev-missing", Ct));
    }

    [Fact]
    public async Task Alerts_keep_their_lifecycle_and_resolved_ones_leave_the_open_list()
    {
        var repository = CreateRepository();
        var site = Site(NewWard());
        await repository.AddSiteAsync(site, Ct);
        var raised = new AlertView(Guid.NewGuid(), site.Id, "dev-a", "laeq", "violation", 78.5, 70, AlertStates.Raised, Created);
        var offline = new AlertView(Guid.NewGuid(), site.Id, "dev-b", "offline", "offline", null, null, AlertStates.Raised, Created.AddMinutes(1));
        await repository.SaveAlertAsync(raised, Ct);
        await repository.SaveAlertAsync(offline, Ct);

        var acknowledged = raised with { State = AlertStates.Acknowledged, AcknowledgedAt = Created.AddMinutes(5), AcknowledgedBy = "inspector-1" };
        await repository.SaveAlertAsync(acknowledged, Ct);
        var resolved = offline with { State = AlertStates.Resolved, AcknowledgedAt = Created.AddMinutes(6), AcknowledgedBy = "i2", ResolvedAt = Created.AddMinutes(6), ResolvedBy = "i2" };
        await repository.SaveAlertAsync(resolved, Ct);

        Assert.Equal([acknowledged], await repository.ListOpenAlertsAsync(site.Id, Ct));
        Assert.Equal(resolved, await repository.GetAlertAsync(offline.Id, Ct));
        Assert.Null(await repository.GetAlertAsync(Guid.NewGuid(), Ct));
    }

    /// <summary>A noise sensor on a new site, stored with the hash of the returned secret.</summary>
    private async Task<(SensorRecord Sensor, string Secret)> AddSensorWithSecretAsync(ISiteRepository repository)
    {
        var site = Site(NewWard());
        await repository.AddSiteAsync(site, Ct);
        var secret = SensorSecrets.NewSecret();
        var sensor = new SensorRecord($"dev-{Guid.NewGuid():N}"[..20], site.Id, SensorKinds.Noise, SensorSecrets.Hash(secret), Created);
        await repository.AddSensorAsync(sensor, Ct);
        return (sensor, secret);
    }

    [Fact]
    public async Task Sensor_credentials_verify_the_secret_against_the_stored_hash_only()
    {
        var repository = CreateRepository();
        var (sensor, secret) = await AddSensorWithSecretAsync(repository);
        var credentials = new SensorCredentials(repository);

        Assert.DoesNotContain(secret, sensor.SecretHash, StringComparison.Ordinal);
        Assert.True(await credentials.VerifyAsync(sensor.DeviceId, secret, Ct));
        Assert.False(await credentials.VerifyAsync(sensor.DeviceId, secret + "x", Ct));
        Assert.False(await credentials.VerifyAsync("dev-unknown", secret, Ct));
    }

    [Fact]
    public async Task A_revoked_sensor_keeps_its_first_revocation_time_and_its_credentials_are_refused()
    {
        var repository = CreateRepository();
        var (sensor, secret) = await AddSensorWithSecretAsync(repository);
        var credentials = new SensorCredentials(repository);
        Assert.Null(sensor.RevokedAt);

        var revoked = await repository.RevokeSensorAsync(sensor.DeviceId, Created.AddDays(1), Ct);
        var again = await repository.RevokeSensorAsync(sensor.DeviceId, Created.AddDays(2), Ct);

        Assert.Equal(sensor with { RevokedAt = Created.AddDays(1) }, revoked);
        Assert.Equal(revoked, again);
        Assert.Equal(revoked, await repository.GetSensorAsync(sensor.DeviceId, Ct));
        Assert.Null(await repository.RevokeSensorAsync("dev-missing", Created, Ct));
        Assert.False(await credentials.VerifyAsync(sensor.DeviceId, secret, Ct));
    }
}

public sealed class InMemorySiteRepositoryTests : SiteRepositoryContract
{
    protected override ISiteRepository CreateRepository() => new InMemorySiteRepository();
}

public sealed class PostgresSiteRepositoryTests(PostgresFixture fixture)
    : SiteRepositoryContract, IClassFixture<PostgresFixture>
{
    protected override ISiteRepository CreateRepository() => new PostgresSiteRepository(fixture.Database.DataSource);
}
