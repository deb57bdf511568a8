using HcmCity.Abstractions.Audit;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Abstractions.Permits;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Permits.Dossiers;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Permits.Tests.Dossiers;

/// <summary>The embedded platform with a patch of lots of its own unit, and demo tokens for each actor.</summary>
public class PermitsPlatformFixture : IAsyncLifetime
{
    public PlatformInstance Platform { get; private set; } = null!;

    /// <summary>
    /// A client that keeps no cookies: demo sign-in sets the hcm_token cookie, which the platform reads before the
    /// Authorization header, so a shared cookie jar would make every request act as the last signed-in role.
    /// </summary>
    public HttpClient Http { get; private set; } = null!;

    public ParcelFixtures Patch { get; } = new();

    /// <summary>Ten 10 × 20 m lots on sheet "9".</summary>
    public IReadOnlyList<Parcel> Lots { get; private set; } = [];

    public string OfficerToken { get; private set; } = "";

    public string OtherUnitOfficerToken { get; private set; } = "";

    public string CitizenToken { get; private set; } = "";

    public string DeveloperToken { get; private set; } = "";

    public string InspectorToken { get; private set; } = "";

    /// <summary>Settings of the platform under test beyond the embedded defaults.</summary>
    protected virtual Task<Dictionary<string, string?>> SettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["LandRecords:SeedParcels"] = "200" });

    public virtual async ValueTask InitializeAsync()
    {
        Platform = await PlatformInstance.StartAsync(await SettingsAsync());
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Platform.BaseAddress };
        var store = Platform.Services.GetRequiredService<IParcelStore>();
        await store.UpsertAsync([.. Enumerable.Range(1, 10).Select(n => Patch.Lot("9", n, (n - 1) * 10, 0, width: 10, depth: 20))]);
        Lots = (await store.SearchAsync(new ParcelQuery(Unit: Patch.Unit, Limit: 100))).Items;
        OfficerToken = await TokenAsync("officer", Patch.Unit);
        OtherUnitOfficerToken = await TokenAsync("officer", "99999");
        CitizenToken = await TokenAsync("citizen", null);
        DeveloperToken = await TokenAsync("developer", null);
        InspectorToken = await TokenAsync("inspector", Patch.Unit);
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Platform.DisposeAsync();
    }

    private Task<string> TokenAsync(string role, string? unit) => Http.DemoTokenAsync(role, unit);

    /// <summary>
    /// A citizen account of its own (signed by the platform's local issuer): an account's profile is linked to one
    /// CCCD, so every test applicant is a person with their own subject.
    /// </summary>
    public string CitizenTokenOf(string subject) =>
        Platform.Services.GetRequiredService<HcmCity.Web.Auth.LocalTokenIssuer>().Issue(subject, "citizen").AccessToken;
}

/// <summary>The same platform on a PostgreSQL database of its own: dossiers, applicants and audit in the database.</summary>
public sealed class PostgresPermitsPlatformFixture : PermitsPlatformFixture
{
    private PostgresDatabase? _database;

    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        _database = await PostgresDatabase.CreateAsync(CancellationToken.None);
        var settings = await base.SettingsAsync();
        settings["ConnectionStrings:Postgres"] = _database.ConnectionString;
        // Demo sign-in is off by default once a real database is behind the platform: these tests ask for it.
        settings["Auth:DemoSignIn"] = "true";
        return settings;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class EmbeddedPermitsApiTests(PermitsPlatformFixture fixture) : PermitsApiTests(fixture), IClassFixture<PermitsPlatformFixture>
{
    [Fact]
    public void Dossiers_live_in_memory_in_embedded_mode() =>
        Assert.IsType<InMemoryPermitRepository>(Fixture.Platform.Services.GetRequiredService<IPermitRepository>());
}

public sealed class PostgresPermitsApiTests(PostgresPermitsPlatformFixture fixture) : PermitsApiTests(fixture), IClassFixture<PostgresPermitsPlatformFixture>
{
    [Fact]
    public async Task Every_transition_is_in_the_database_with_an_audit_entry_in_an_intact_chain()
    {
        Assert.IsType<PostgresPermitRepository>(Fixture.Platform.Services.GetRequiredService<IPermitRepository>());
        var cccd = "079200000009";
        var (number, _, _) = await SubmitAsync(9, cccd);
        await TransitionAsync(number, Fixture.OfficerToken, "start-appraisal");
        await TransitionAsync(number, Fixture.OfficerToken, "refuse", "Sai mục đích sử dụng đất");

        await using var command = fixture.Database.DataSource.CreateCommand("""
            SELECT e.action, a.action, a.actor FROM permit_events e
            JOIN audit_log a ON a.subject = e.number AND a.details LIKE '%"seq":"' || e.seq || '"%'
            WHERE e.number = $1 ORDER BY e.seq
            """);
        command.Parameters.Add(new() { Value = number });
        var rows = new List<(string, string, string)>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.Equal(
            [("submit", "permit.submit", $"citizen-{cccd}"), ("start-appraisal", "permit.start-appraisal", "demo-officer"), ("refuse", "permit.refuse", "demo-officer")],
            rows);
        Assert.True((await HcmCity.Audit.AuditTrail.VerifyAsync(fixture.Database.DataSource, Ct)).IsIntact);
    }
}

/// <summary>The permits API as users see it, run on the embedded platform and on PostgreSQL.</summary>
public abstract class PermitsApiTests(PermitsPlatformFixture fixture)
{
    protected PermitsPlatformFixture Fixture => fixture;

    private const string Applications = "/api/permits/applications";

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewCitizenId() => string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + Random.Shared.Next(10))));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await fixture.Http.SendAsync(request, Ct);
    }

    /// <summary>An application for lot <paramref name="lot"/> with a footprint 1 m inside its boundary.</summary>
    private object Application(
        int lot, string citizenId, bool fullProfile = true, long? parcelId = null, double footprintShift = 0,
        string permitType = "new-construction", int floors = 4)
    {
        var parcel = fixture.Lots.Single(p => p.Key.Number == (lot + 1).ToString(CultureInfo.InvariantCulture));
        var x = parcel.SourceGeometry.EnvelopeInternal.MinX + 1 + footprintShift;
        var y = parcel.SourceGeometry.EnvelopeInternal.MinY + 1;
        return new
        {
            parcelId = parcelId ?? parcel.Id,
            permitType,
            sitePlan = new
            {
                floors,
                height = 15.8,
                basements = 0,
                roadWidth = 8,
                footprint = new { type = "Polygon", coordinates = new[] { new[] { new[] { x, y }, new[] { x + 8, y }, new[] { x + 8, y + 16 }, new[] { x, y + 16 }, new[] { x, y } } } },
            },
            applicant = fullProfile
                ? new { citizenId, fullName = "Nguyễn Thị Hồ Sơ", address = "18 Nguyễn Huệ, Sài Gòn", phone = "0909000111" }
                : new { citizenId, fullName = (string?)null, address = (string?)null, phone = (string?)null } as object,
        };
    }

    /// <summary>The token of the citizen whose CCCD is <paramref name="citizenId"/>.</summary>
    protected string CitizenOf(string citizenId) => fixture.CitizenTokenOf($"citizen-{citizenId}");

    protected async Task<(string Number, string Secret, JsonElement Body)> SubmitAsync(int lot, string? citizenId = null, string? token = null)
    {
        var cccd = citizenId ?? NewCitizenId();
        using var response = await SendAsync(HttpMethod.Post, Applications, token ?? CitizenOf(cccd), Application(lot, cccd));
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("number").GetString()!, body.GetProperty("trackingSecret").GetString()!, body);
    }

    protected async Task<HttpResponseMessage> TransitionAsync(string number, string token, string action, string? reason = null) =>
        await SendAsync(HttpMethod.Post, $"{Applications}/{number}/transitions", token, new { action, reason });

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertBadInputAsync(HttpResponseMessage response, string field)
    {
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"Expected errors to name {field}");
    }

    [Fact]
    public async Task A_citizen_submits_and_gets_a_dossier_number_a_secret_and_the_statutory_deadline()
    {
        var (number, secret, body) = await SubmitAsync(0);

        Assert.Matches(@"^HS-\d{4}-\d{6}$", number);
        Assert.True(secret.Length >= 40);
        Assert.Equal("submitted", body.GetProperty("state").GetString());
        Assert.Equal(7, body.GetProperty("daysLeft").GetInt32());
        Assert.False(body.GetProperty("applicantOnFile").GetBoolean());
        var officerView = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}/{number}", fixture.OfficerToken));
        Assert.Equal(body.GetProperty("deadline").GetString(), officerView.GetProperty("deadline").GetString());
        Assert.Equal(fixture.Patch.Unit, officerView.GetProperty("unit").GetString());
        Assert.Equal("EPSG:9210", officerView.GetProperty("sitePlan").GetProperty("crs").GetString());
        Assert.Equal("Polygon", officerView.GetProperty("sitePlan").GetProperty("footprint").GetProperty("type").GetString());
        Assert.DoesNotContain(secret, officerView.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_applicant_is_declared_once_and_reused_by_cccd_alone()
    {
        var cccd = NewCitizenId();
        await SubmitAsync(1, cccd);

        using var second = await SendAsync(HttpMethod.Post, Applications, CitizenOf(cccd), Application(2, cccd, fullProfile: false));
        var created = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct)).RootElement;
        var view = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}/{created.GetProperty("number").GetString()}", fixture.OfficerToken));

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(created.GetProperty("applicantOnFile").GetBoolean());
        var applicant = view.GetProperty("applicant");
        Assert.Equal(cccd, applicant.GetProperty("citizenId").GetString());
        Assert.Equal("Nguyễn Thị Hồ Sơ", applicant.GetProperty("fullName").GetString());
        Assert.DoesNotContain(cccd, created.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_officers_read_of_the_applicants_personal_data_is_audited_without_the_data_itself()
    {
        var cccd = NewCitizenId();
        var (number, _, _) = await SubmitAsync(4, cccd);
        var trail = fixture.Platform.Services.GetRequiredService<HcmCity.Abstractions.Audit.IAuditTrail>();

        var view = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}/{number}", fixture.OfficerToken));

        Assert.Equal(cccd, view.GetProperty("applicant").GetProperty("citizenId").GetString());
        var entries = await trail.ReadAsync(0, 100_000, Ct);
        var read = Assert.Single(entries, e => e.Action == HcmCity.Permits.PermitsApi.PersonalDataReadAction && e.Subject == number);
        Assert.Equal("demo-officer", read.Actor);
        Assert.Equal("officer", read.Role);
        Assert.Contains("\"applicant\"", read.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(cccd, read.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Nguyễn", read.Details, StringComparison.Ordinal);
        Assert.True((await trail.VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task Bad_applications_are_400_naming_the_field()
    {
        var cccd = NewCitizenId();
        var citizen = CitizenOf(cccd);
        await AssertBadInputAsync(await SendAsync(HttpMethod.Post, Applications, citizen, Application(3, cccd, parcelId: long.MaxValue)), "parcelId");
        await AssertBadInputAsync(await SendAsync(HttpMethod.Post, Applications, citizen, Application(3, cccd, fullProfile: false)), "applicant.fullName");
        await AssertBadInputAsync(await SendAsync(HttpMethod.Post, Applications, citizen, Application(3, "07912345")), "applicant.citizenId");
        await AssertBadInputAsync(await SendAsync(HttpMethod.Post, Applications, citizen, Application(3, cccd, footprintShift: 6)), "sitePlan.footprint");
        await AssertBadInputAsync(await SendAsync(HttpMethod.Post, Applications, citizen, Application(3, cccd, floors: 0)), "sitePlan.floors");
    }

    [Fact]
    public async Task A_term_limited_permit_allows_the_floors_of_its_rule_data_and_no_more()
    {
        var limit = PermitTypeRules.Embedded.Types["term-limited"].MaxFloors!.Value;
        Assert.Equal(3, limit);
        var cccd = NewCitizenId();
        var citizen = CitizenOf(cccd);
        await AssertBadInputAsync(await SendAsync(HttpMethod.Post, Applications, citizen,
            Application(3, cccd, permitType: "term-limited", floors: limit + 1)), "sitePlan.floors");
        using var within = await SendAsync(HttpMethod.Post, Applications, citizen,
            Application(3, cccd, permitType: "term-limited", floors: limit));
        Assert.Equal(HttpStatusCode.Created, within.StatusCode);
    }

    [Fact]
    public async Task Only_citizens_and_officers_submit_and_only_officers_of_the_unit_read_dossiers()
    {
        var (number, _, _) = await SubmitAsync(4);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, Applications, null, Application(4, NewCitizenId()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, Applications, fixture.InspectorToken, Application(4, NewCitizenId()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, Applications, fixture.CitizenToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"{Applications}/{number}", fixture.CitizenToken)).StatusCode);
        await AssertProblemAsync(await SendAsync(HttpMethod.Get, $"{Applications}/{number}", fixture.OtherUnitOfficerToken), HttpStatusCode.NotFound);
        await AssertProblemAsync(await SendAsync(HttpMethod.Get, $"{Applications}/HS-1999-000000", fixture.OfficerToken), HttpStatusCode.NotFound);
        var other = await OkJsonAsync(await SendAsync(HttpMethod.Get, Applications, fixture.OtherUnitOfficerToken));
        Assert.DoesNotContain(number, other.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Officers_decide_the_applicant_supplements_and_wrong_moves_are_403_or_409()
    {
        var cccd = NewCitizenId();
        var (number, _, _) = await SubmitAsync(5, cccd);

        await AssertProblemAsync(await TransitionAsync(number, CitizenOf(cccd), "start-appraisal"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await TransitionAsync(number, fixture.OtherUnitOfficerToken, "start-appraisal"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await TransitionAsync(number, fixture.OfficerToken, "approve"), HttpStatusCode.Conflict);
        Assert.Equal("appraisal", (await OkJsonAsync(await TransitionAsync(number, fixture.OfficerToken, "start-appraisal"))).GetProperty("state").GetString());
        await AssertBadInputAsync(await TransitionAsync(number, fixture.OfficerToken, "notify-deficiency"), "reason");
        await AssertBadInputAsync(await TransitionAsync(number, fixture.OfficerToken, "archive"), "action");
        var notified = await OkJsonAsync(await TransitionAsync(number, fixture.OfficerToken, "notify-deficiency", "Thiếu bản vẽ mặt cắt"));
        await AssertProblemAsync(await TransitionAsync(number, fixture.DeveloperToken, "supplement"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await TransitionAsync(number, fixture.CitizenToken, "supplement", "Không phải hồ sơ của tôi"), HttpStatusCode.NotFound);
        var supplemented = await OkJsonAsync(await TransitionAsync(number, CitizenOf(cccd), "supplement", "Đã nộp bản vẽ"));
        await AssertProblemAsync(await TransitionAsync(number, fixture.OfficerToken, "notify-deficiency", "Lần hai"), HttpStatusCode.Conflict);
        var approved = await OkJsonAsync(await TransitionAsync(number, fixture.OfficerToken, "approve", "Đủ điều kiện"));
        await AssertProblemAsync(await TransitionAsync(number, CitizenOf(cccd), "withdraw"), HttpStatusCode.Conflict);

        Assert.Equal(JsonValueKind.Null, notified.GetProperty("deadline").ValueKind);
        Assert.Equal(JsonValueKind.Null, notified.GetProperty("daysLeft").ValueKind);
        Assert.Equal(7, supplemented.GetProperty("daysLeft").GetInt32());
        Assert.Equal("approved", approved.GetProperty("state").GetString());
        var history = (await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}/{number}", fixture.OfficerToken))).GetProperty("history");
        var actions = history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["submit", "start-appraisal", "notify-deficiency", "supplement", "approve"], actions.Take(5));
        Assert.Equal("demo-officer", history[4].GetProperty("actorSubject").GetString());
        if (fixture.Platform.Services.GetService<IPermitIssuer>() is not null)
        {
            Assert.Equal("issue-permit", actions[^1]);
            Assert.False(string.IsNullOrEmpty(approved.GetProperty("permitNumber").GetString()));
        }
    }

    [Fact]
    public async Task The_officer_list_filters_by_state()
    {
        var cccd = NewCitizenId();
        var (number, _, _) = await SubmitAsync(6, cccd);
        await TransitionAsync(number, CitizenOf(cccd), "withdraw");

        var withdrawn = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}?state=withdrawn", fixture.OfficerToken));
        var submitted = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}?state=submitted&overdue=false", fixture.OfficerToken));

        Assert.Contains(withdrawn.GetProperty("items").EnumerateArray(), d => d.GetProperty("number").GetString() == number);
        Assert.DoesNotContain(submitted.GetProperty("items").EnumerateArray(), d => d.GetProperty("number").GetString() == number);
        await AssertBadInputAsync(await SendAsync(HttpMethod.Get, $"{Applications}?state=lost", fixture.OfficerToken), "state");
        await AssertBadInputAsync(await SendAsync(HttpMethod.Get, $"{Applications}?overdue=maybe", fixture.OfficerToken), "overdue");
    }

    [Fact]
    public async Task Citizens_track_their_own_dossier_by_number_and_secret_and_nothing_else()
    {
        var cccd = NewCitizenId();
        var (number, secret, _) = await SubmitAsync(7, cccd);
        var (otherNumber, otherSecret, _) = await SubmitAsync(8);
        await TransitionAsync(number, fixture.OfficerToken, "start-appraisal");

        using var mine = await SendAsync(HttpMethod.Get, $"/api/track/{number}?secret={Uri.EscapeDataString(secret)}", null);
        var tracked = await OkJsonAsync(mine);
        using var wrongSecret = await SendAsync(HttpMethod.Get, $"/api/track/{number}?secret=guess", null);
        using var othersSecret = await SendAsync(HttpMethod.Get, $"/api/track/{number}?secret={Uri.EscapeDataString(otherSecret)}", null);
        using var noSecret = await SendAsync(HttpMethod.Get, $"/api/track/{number}", null);
        using var unknown = await SendAsync(HttpMethod.Get, $"/api/track/HS-1999-000001?secret={Uri.EscapeDataString(secret)}", null);

        Assert.Equal("appraisal", tracked.GetProperty("state").GetString());
        Assert.Equal(["submit", "start-appraisal"], tracked.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.All(tracked.GetProperty("history").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("actorSubject").ValueKind));
        Assert.DoesNotContain(cccd, tracked.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Nguyễn Thị Hồ Sơ", tracked.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(otherNumber, tracked.GetRawText(), StringComparison.Ordinal);
        var unknownBody = await unknown.Content.ReadAsStringAsync(Ct);
        foreach (var refused in new[] { wrongSecret, othersSecret, noSecret, unknown })
        {
            await AssertProblemAsync(refused, HttpStatusCode.NotFound);
            Assert.Equal(Without(unknownBody), Without(await refused.Content.ReadAsStringAsync(Ct)));
        }
    }

    /// <summary>Today in Ho Chi Minh City, where permit dates are counted.</summary>
    private static DateOnly TodayInVietnam => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<HttpResponseMessage> ApproveAsync(string number, object? conditions) =>
        SendAsync(HttpMethod.Post, $"{Applications}/{number}/transitions", fixture.OfficerToken, new { action = "approve", reason = "Đủ điều kiện", conditions });

    private Task<HttpResponseMessage> CommenceAsync(string number, string token, string? plannedStart) =>
        SendAsync(HttpMethod.Post, $"{Applications}/{number}/transitions", token, new { action = "commence", plannedStart });

    /// <summary>A dossier in appraisal, ready for the officer's decision.</summary>
    /// <returns>The dossier, its tracking secret and its holder's token (the citizen who filed it).</returns>
    private async Task<(string Number, string Secret, string Holder)> InAppraisalAsync(int lot)
    {
        var cccd = NewCitizenId();
        var (number, secret, _) = await SubmitAsync(lot, cccd);
        await OkJsonAsync(await TransitionAsync(number, fixture.OfficerToken, "start-appraisal"));
        return (number, secret, CitizenOf(cccd));
    }

    [Fact]
    public async Task Approval_signs_the_officers_site_conditions_into_the_e_permit_and_its_page_shows_them()
    {
        var (number, _, _) = await InAppraisalAsync(9);

        var approved = await OkJsonAsync(await ApproveAsync(number, new
        {
            zone = "special", dayStart = "07:00", nightStart = "19:00", noiseDayDb = 50, pm25DayUg = 40, tiltWarningDeg = 0.2, tiltStopDeg = 0.5,
        }));
        var permitNumber = approved.GetProperty("permitNumber").GetString()!;
        var permit = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"/api/permits/{permitNumber}", null));
        var verification = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"/api/permits/{permitNumber}/verify", null));
        using var page = await SendAsync(HttpMethod.Get, $"/permits/{permitNumber}", null);
        var html = await page.Content.ReadAsStringAsync(Ct);

        var claims = permit.GetProperty("claims");
        var site = claims.GetProperty("site");
        Assert.Equal(2, claims.GetProperty("ver").GetInt32());
        Assert.Equal("special", site.GetProperty("zone").GetString());
        Assert.Equal("07:00:00", site.GetProperty("dayStart").GetString());
        Assert.Equal("19:00:00", site.GetProperty("nightStart").GetString());
        Assert.False(site.GetProperty("nightWorkAllowed").GetBoolean());
        Assert.Equal(50, site.GetProperty("noiseDayDb").GetDouble());
        // Left out: the national default of the special zone (QCVN 26:2010/BTNMT) and of QCVN 05:2023/BTNMT.
        Assert.Equal(45, site.GetProperty("noiseNightDb").GetDouble());
        Assert.Equal(100, site.GetProperty("pm10DayUg").GetDouble());
        Assert.Equal(40, site.GetProperty("pm25DayUg").GetDouble());
        Assert.Equal(75, site.GetProperty("vibrationDayDb").GetDouble());
        Assert.Equal(0.5, site.GetProperty("tiltStopDeg").GetDouble());
        Assert.Equal(Iso(TodayInVietnam.AddMonths(12)), site.GetProperty("startBy").GetString());
        Assert.Equal(Iso(TodayInVietnam.AddMonths(48)), site.GetProperty("validUntil").GetString());
        Assert.Equal("vn-site-limits/2026-1", site.GetProperty("ruleSet").GetString());
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal("approved", verification.GetProperty("phase").GetString());
        Assert.Equal(Iso(TodayInVietnam.AddMonths(12)), verification.GetProperty("startBy").GetString());
        Assert.Contains("Điều kiện thi công", html, StringComparison.Ordinal);
        Assert.Contains("Site conditions", html, StringComparison.Ordinal);
        Assert.Contains("07:00–19:00", html, StringComparison.Ordinal);
        Assert.Contains("ngày 50 dBA, đêm 45 dBA", html, StringComparison.Ordinal);
        Assert.Contains("dừng thi công 0,5°", html, StringComparison.Ordinal);
        Assert.Contains("special zone", html, StringComparison.Ordinal);
    }

    public static TheoryData<string, object> LooserConditions() => new()
    {
        { "conditions.noiseDayDb", new { noiseDayDb = 70.5 } },
        { "conditions.noiseNightDb", new { noiseNightDb = 56 } },
        { "conditions.noiseDayDb", new { zone = "special", noiseDayDb = 60 } },
        { "conditions.vibrationDayDb", new { vibrationDayDb = 76 } },
        { "conditions.pm10DayUg", new { pm10DayUg = 101 } },
        { "conditions.pm25DayUg", new { pm25DayUg = 46 } },
        { "conditions.dayStart", new { dayStart = "05:30" } },
        { "conditions.nightStart", new { nightStart = "22:00" } },
        { "conditions.startBy", new { startBy = Iso(TodayInVietnam.AddMonths(12).AddDays(1)) } },
        { "conditions.zone", new { zone = "quiet" } },
        { "conditions.tiltStopDeg", new { tiltWarningDeg = 0.5, tiltStopDeg = 0.3 } },
        { "conditions.validUntil", new { startBy = Iso(TodayInVietnam.AddMonths(2)), validUntil = Iso(TodayInVietnam.AddMonths(1)) } },
    };

    [Theory]
    [MemberData(nameof(LooserConditions))]
    public async Task An_officer_may_only_tighten_the_national_limits_and_anything_else_is_400_naming_the_field(string field, object conditions)
    {
        var (number, _, _) = await InAppraisalAsync(8);

        await AssertBadInputAsync(await ApproveAsync(number, conditions), field);

        var dossier = await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}/{number}", fixture.OfficerToken));
        Assert.Equal("appraisal", dossier.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, dossier.GetProperty("permitNumber").ValueKind);
    }

    [Fact]
    public async Task The_construction_phase_runs_commence_suspend_resume_complete_and_verification_follows_it()
    {
        var (number, secret, holder) = await InAppraisalAsync(7);
        await AssertProblemAsync(await CommenceAsync(number, holder, Iso(TodayInVietnam)), HttpStatusCode.Conflict);
        var permitNumber = (await OkJsonAsync(await ApproveAsync(number, null))).GetProperty("permitNumber").GetString()!;
        var verify = $"/api/permits/{permitNumber}/verify";

        // Applicant-only actions by anyone else, and anything by another unit, answer as a missing dossier (issue #11 item 4).
        await AssertProblemAsync(await CommenceAsync(number, fixture.OfficerToken, Iso(TodayInVietnam)), HttpStatusCode.NotFound);
        await AssertBadInputAsync(await CommenceAsync(number, holder, null), "plannedStart");
        await AssertBadInputAsync(await CommenceAsync(number, holder, "01/02/2027"), "plannedStart");
        await AssertBadInputAsync(await CommenceAsync(number, holder, Iso(TodayInVietnam.AddDays(-1))), "plannedStart");
        await AssertBadInputAsync(await CommenceAsync(number, holder, Iso(TodayInVietnam.AddMonths(12).AddDays(1))), "plannedStart");
        await AssertProblemAsync(await TransitionAsync(number, fixture.OfficerToken, "suspend", "Chưa khởi công"), HttpStatusCode.Conflict);
        var commenced = await OkJsonAsync(await CommenceAsync(number, holder, Iso(TodayInVietnam.AddDays(3))));

        await AssertProblemAsync(await TransitionAsync(number, holder, "suspend", "x"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await TransitionAsync(number, fixture.OtherUnitOfficerToken, "suspend", "x"), HttpStatusCode.NotFound);
        await AssertBadInputAsync(await TransitionAsync(number, fixture.OfficerToken, "suspend"), "reason");
        await AssertProblemAsync(await TransitionAsync(number, fixture.OfficerToken, "resume", "Chưa đình chỉ"), HttpStatusCode.Conflict);
        await AssertProblemAsync(await CommenceAsync(number, holder, Iso(TodayInVietnam)), HttpStatusCode.Conflict);
        var suspended = await OkJsonAsync(await TransitionAsync(number, fixture.OfficerToken, "suspend", "Thi công ban đêm gây ồn"));
        var whileSuspended = await OkJsonAsync(await SendAsync(HttpMethod.Get, verify, null));
        using var suspendedPage = await SendAsync(HttpMethod.Get, $"/permits/{permitNumber}", null);
        var suspendedHtml = await suspendedPage.Content.ReadAsStringAsync(Ct);
        await AssertProblemAsync(await TransitionAsync(number, fixture.OfficerToken, "complete"), HttpStatusCode.Conflict);
        await AssertBadInputAsync(await TransitionAsync(number, fixture.OfficerToken, "resume"), "reason");
        var resumed = await OkJsonAsync(await TransitionAsync(number, fixture.OfficerToken, "resume", "Đã khắc phục, cam kết không thi công ban đêm"));
        var whileResumed = await OkJsonAsync(await SendAsync(HttpMethod.Get, verify, null));
        await AssertProblemAsync(await TransitionAsync(number, holder, "complete"), HttpStatusCode.Forbidden);
        var completed = await OkJsonAsync(await TransitionAsync(number, fixture.OfficerToken, "complete", "Nghiệm thu hoàn thành"));
        var afterCompletion = await OkJsonAsync(await SendAsync(HttpMethod.Get, verify, null));
        await AssertProblemAsync(await TransitionAsync(number, fixture.OfficerToken, "suspend", "Sau hoàn công"), HttpStatusCode.Conflict);
        await AssertProblemAsync(await TransitionAsync(number, fixture.OfficerToken, "resume", "Sau hoàn công"), HttpStatusCode.Conflict);

        Assert.Equal(["commenced", "suspended", "commenced", "completed"],
            new[] { commenced, suspended, resumed, completed }.Select(r => r.GetProperty("state").GetString()));
        Assert.Equal(("suspended", false, true), (whileSuspended.GetProperty("phase").GetString(),
            whileSuspended.GetProperty("valid").GetBoolean(), whileSuspended.GetProperty("suspended").GetBoolean()));
        Assert.Contains(whileSuspended.GetProperty("problems").EnumerateArray(),
            p => p.GetString()!.Contains("construction suspended since", StringComparison.Ordinal) && p.GetString()!.Contains("Thi công ban đêm gây ồn", StringComparison.Ordinal));
        Assert.Contains("ĐANG BỊ ĐÌNH CHỈ THI CÔNG", suspendedHtml, StringComparison.Ordinal);
        Assert.Equal(("commenced", true), (whileResumed.GetProperty("phase").GetString(), whileResumed.GetProperty("valid").GetBoolean()));
        Assert.Equal(("completed", false, true), (afterCompletion.GetProperty("phase").GetString(),
            afterCompletion.GetProperty("valid").GetBoolean(), afterCompletion.GetProperty("completed").GetBoolean()));
        Assert.Contains(afterCompletion.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("construction completed on", StringComparison.Ordinal));

        string[] phase = ["commence", "suspend", "resume", "complete"];
        var officerHistory = (await OkJsonAsync(await SendAsync(HttpMethod.Get, $"{Applications}/{number}", fixture.OfficerToken))).GetProperty("history");
        var tracked = (await OkJsonAsync(await SendAsync(HttpMethod.Get, $"/api/track/{number}?secret={Uri.EscapeDataString(secret)}", null))).GetProperty("history");
        Assert.Equal(phase, officerHistory.EnumerateArray().Select(e => e.GetProperty("action").GetString()).TakeLast(4));
        Assert.Equal(phase, tracked.EnumerateArray().Select(e => e.GetProperty("action").GetString()).TakeLast(4));
        var actors = officerHistory.EnumerateArray().TakeLast(4).Select(e => e.GetProperty("actorSubject").GetString()!).ToList();
        Assert.StartsWith("citizen-", actors[0], StringComparison.Ordinal);
        Assert.Equal(["demo-officer", "demo-officer", "demo-officer"], actors.Skip(1));
        Assert.All(tracked.EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("actorSubject").ValueKind));
        Assert.Contains(Iso(TodayInVietnam.AddDays(3)), tracked.EnumerateArray().TakeLast(4).First().GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Thi công ban đêm gây ồn", tracked.EnumerateArray().TakeLast(3).First().GetProperty("reason").GetString());

        var trail = fixture.Platform.Services.GetRequiredService<IAuditTrail>();
        var audited = (await trail.ReadAsync(0, 100_000, Ct)).Where(e => e.Subject == number && e.Action.StartsWith("permit.", StringComparison.Ordinal)).Select(e => e.Action).ToList();
        Assert.Equal(["permit.commence", "permit.suspend", "permit.resume", "permit.complete"], audited.TakeLast(4));
        Assert.True((await trail.VerifyAsync(Ct)).IsIntact);
    }

    /// <summary>A problem body less its per-request trace id.</summary>
    private static string Without(string problem)
    {
        var json = JsonDocument.Parse(problem).RootElement;
        return string.Join(";", json.EnumerateObject().Where(p => p.Name != "traceId").Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}")));
    }
}
