using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Testing;
using HcmCity.Permits.Tests.Dossiers;
using HcmCity.Permits.EPermits;
using HcmCity.Sites.Records;
using HcmCity.Web.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Permits.Tests.Security;

public sealed class EmbeddedUnitAndAreaScopeTests(PermitsPlatformFixture fixture)
    : UnitAndAreaScopeTests(fixture), IClassFixture<PermitsPlatformFixture>;

public sealed class PostgresUnitAndAreaScopeTests(PostgresPermitsPlatformFixture fixture)
    : UnitAndAreaScopeTests(fixture), IClassFixture<PostgresPermitsPlatformFixture>;

/// <summary>
/// Every officer action is scoped to the officer's unit and every inspector action to the wards of the inspector's
/// area: a token without the claim is refused (403), never taken as "everywhere", and an officer learns nothing of
/// another unit's dossiers (the answer is that of a dossier that does not exist). Run in memory and on PostgreSQL.
/// </summary>
public abstract class UnitAndAreaScopeTests(PermitsPlatformFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Unit => fixture.Patch.Unit;

    private LocalTokenIssuer Issuer => fixture.Platform.Services.GetRequiredService<LocalTokenIssuer>();

    private string Officer(string? unit) => Issuer.Issue("officer-scope", Roles.Officer, unit).AccessToken;

    private string Inspector(params string[] area) => Issuer.Issue("inspector-scope", Roles.Inspector, area: area).AccessToken;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await fixture.Http.SendAsync(request, Ct);
    }

    private static async Task<string> StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        return text;
    }

    private async Task<JsonElement> OkAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await StatusAsync(response, response.StatusCode is HttpStatusCode.Created ? HttpStatusCode.Created : HttpStatusCode.OK);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<IssuedEPermit> IssuePermitAsync(int lot) =>
        fixture.Platform.Services.GetRequiredService<EPermitService>().IssueAsync(new PermitToIssue(
            $"HS-{Guid.NewGuid():N}", fixture.Lots[lot].Id, PermitTypes.NewConstruction, new PermitScope(4, 1, 15.8, 128, 512),
            [], "Lê Hoàng Bảo Châu", "citizen-scope"), Ct);

    /// <summary>A site on lot <paramref name="lot"/> with a noise sensor, registered by an officer of the unit.</summary>
    private async Task<(string SiteId, DeviceCredentials Sensor)> SiteAsync(int lot)
    {
        var site = await OkAsync(HttpMethod.Post, "/api/sites", Officer(Unit),
            new { permitNumber = "GPXD-9/2026", parcelId = fixture.Lots[lot].Id, zone = "normal" });
        var siteId = site.GetProperty("id").GetString()!;
        var sensor = await OkAsync(HttpMethod.Post, $"/api/sites/{siteId}/sensors", Officer(Unit), new { kind = "noise" });
        return (siteId, new DeviceCredentials(sensor.GetProperty("deviceId").GetString()!, sensor.GetProperty("mqtt").GetProperty("password").GetString()!));
    }

    [Fact]
    public async Task An_officer_token_without_a_unit_may_do_nothing_of_an_officer()
    {
        var permit = await IssuePermitAsync(0);
        var (siteId, sensor) = await SiteAsync(1);
        var (number, _) = await SubmitAsync(2);
        var noUnit = Officer(null);

        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/permits/{permit.Number}/revocation", noUnit, new { reason = "Thu hồi thử" }), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, "/api/sites", noUnit,
            new { permitNumber = "GPXD-9/2026", parcelId = fixture.Lots[3].Id, zone = "normal" }), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/sensors", noUnit, new { kind = "pm" }), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/sensors/{sensor.DeviceId}/revocation", noUnit), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Get, $"/api/permits/applications/{number}", noUnit), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Get, $"/api/permits/applications/{number}/check", noUnit), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/permits/applications/{number}/transitions", noUnit,
            new { action = "start-appraisal" }), HttpStatusCode.Forbidden);

        var status = await OkAsync(HttpMethod.Get, $"/api/permits/{permit.Number}/verify", Officer(Unit));
        Assert.False(status.GetProperty("revoked").GetBoolean());
        Assert.Null((await Repository.GetSensorAsync(sensor.DeviceId, Ct))!.RevokedAt);
        Assert.Single(await Repository.ListSensorsAsync(siteId, Ct));
        Assert.Equal("submitted", (await OkAsync(HttpMethod.Get, $"/api/permits/applications/{number}", fixture.OfficerToken)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_officer_of_another_unit_may_not_revoke_this_units_permit_nor_register_sites_or_touch_its_sensors()
    {
        var permit = await IssuePermitAsync(4);
        var (siteId, sensor) = await SiteAsync(5);
        var other = Officer("99999");

        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/permits/{permit.Number}/revocation", other, new { reason = "Thu hồi thử" }), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, "/api/sites", other,
            new { permitNumber = "GPXD-9/2026", parcelId = fixture.Lots[6].Id, zone = "normal" }), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/sensors", other, new { kind = "pm" }), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/sensors/{sensor.DeviceId}/revocation", other), HttpStatusCode.Forbidden);

        Assert.False((await OkAsync(HttpMethod.Get, $"/api/permits/{permit.Number}/verify", other)).GetProperty("revoked").GetBoolean());
        Assert.Null((await Repository.GetSensorAsync(sensor.DeviceId, Ct))!.RevokedAt);
        Assert.Single(await Repository.ListSensorsAsync(siteId, Ct));
        Assert.DoesNotContain(await Repository.SearchSitesAsync(new SiteQuery(Unit, null, 100), Ct), s => s.ParcelId == fixture.Lots[6].Id);
        // The unit's own officer may: the refusals above are the scope, not a broken endpoint.
        await OkAsync(HttpMethod.Post, $"/api/sensors/{sensor.DeviceId}/revocation", Officer(Unit));
        await OkAsync(HttpMethod.Post, $"/api/permits/{permit.Number}/revocation", Officer(Unit), new { reason = "Thu hồi thử" });
    }

    [Fact]
    public async Task Another_units_dossier_answers_exactly_as_a_dossier_that_does_not_exist()
    {
        var (number, _) = await SubmitAsync(7);
        var missing = string.Create(CultureInfo.InvariantCulture, $"HS-1999-{Random.Shared.Next(1, 999_999):D6}");
        var other = Officer("99999");

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "/api/permits/applications/{0}", null),
            (HttpMethod.Get, "/api/permits/applications/{0}/check", null),
            (HttpMethod.Post, "/api/permits/applications/{0}/transitions", new { action = "start-appraisal" }),
            (HttpMethod.Post, "/api/permits/applications/{0}/transitions", new { action = "refuse", reason = "Không đạt" }),
        })
        {
            using var theirs = await SendAsync(method, string.Format(CultureInfo.InvariantCulture, path, number), other, body);
            using var nobodys = await SendAsync(method, string.Format(CultureInfo.InvariantCulture, path, missing), other, body);
            var theirsText = await StatusAsync(theirs, HttpStatusCode.NotFound);
            var nobodysText = await StatusAsync(nobodys, HttpStatusCode.NotFound);
            Assert.Equal(Gist(nobodysText, missing), Gist(theirsText, number));
            Assert.DoesNotContain(Unit, theirsText, StringComparison.Ordinal);
        }
        Assert.Equal("submitted", (await OkAsync(HttpMethod.Get, $"/api/permits/applications/{number}", fixture.OfficerToken)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_inspector_resolves_only_alerts_in_the_wards_of_their_area()
    {
        var (siteId, sensor) = await SiteAsync(8);
        var now = DateTimeOffset.UtcNow;
        await SiteTestDriver.PublishAsync($"127.0.0.1:{fixture.Platform.MqttPort}", sensor,
            SiteTestDriver.Senml(sensor.DeviceId, "dBA", ("laeq", 90.0, now.AddSeconds(-3)), ("laeq", 91.0, now.AddSeconds(-2)), ("laeq", 92.0, now.AddSeconds(-1))));
        var alert = await Eventually.ReturnsAsync(async () => (await Repository.ListOpenAlertsAsync(siteId, Ct)).FirstOrDefault());

        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/alerts/{alert.Id}/resolve", Inspector()), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/alerts/{alert.Id}/acknowledge", Inspector()), HttpStatusCode.Forbidden);
        await StatusAsync(await SendAsync(HttpMethod.Post, $"/api/alerts/{alert.Id}/resolve", Inspector("27613", "99999")), HttpStatusCode.Forbidden);
        Assert.Equal(AlertStates.Raised, (await Repository.GetAlertAsync(alert.Id, Ct))!.State);

        var resolved = await OkAsync(HttpMethod.Post, $"/api/alerts/{alert.Id}/resolve", Inspector("27613", Unit));
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
    }

    private ISiteRepository Repository => fixture.Platform.Services.GetRequiredService<ISiteRepository>();

    /// <summary>A dossier of the patch's unit filed by a citizen of its own.</summary>
    private async Task<(string Number, string Secret)> SubmitAsync(int lot)
    {
        var parcel = fixture.Lots[lot];
        var x = parcel.SourceGeometry.EnvelopeInternal.MinX + 1;
        var y = parcel.SourceGeometry.EnvelopeInternal.MinY + 1;
        var citizenId = string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + Random.Shared.Next(10))));
        var body = await OkAsync(HttpMethod.Post, "/api/permits/applications", Issuer.Issue($"citizen-{citizenId}", Roles.Citizen).AccessToken, new
        {
            parcelId = parcel.Id,
            permitType = "new-construction",
            sitePlan = new
            {
                floors = 3, height = 12.0, basements = 0, roadWidth = 8,
                footprint = new { type = "Polygon", coordinates = new[] { new[] { new[] { x, y }, new[] { x + 6, y }, new[] { x + 6, y + 12 }, new[] { x, y + 12 }, new[] { x, y } } } },
            },
            applicant = new { citizenId, fullName = "Đỗ Thị Phạm Vi", address = "3 Lý Tự Trọng", phone = "0908000222" },
        });
        return (body.GetProperty("number").GetString()!, body.GetProperty("trackingSecret").GetString()!);
    }

    /// <summary>A problem body less its per-request trace id, the dossier number in it replaced by a placeholder.</summary>
    private static string Gist(string problem, string number) =>
        string.Join(";", JsonDocument.Parse(problem).RootElement.EnumerateObject().Where(p => p.Name != "traceId")
            .Select(p => $"{p.Name}={p.Value.ToString().Replace(number, "{number}", StringComparison.Ordinal)}"));
}
