using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Testing;
using HcmCity.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>
/// The permit officer's screen end to end on the embedded platform's demo dossiers: open a dossier, see its failing
/// findings drawn on the map, approve it, and verify the e-permit the approval produced; and a citizen following a
/// dossier by number and secret.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OfficerScreenTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>The unit of the demo dossiers, once they are filed (the map config names it).</summary>
    private Task<string> DemoUnitAsync() => Eventually.ReturnsAsync(async () =>
    {
        using var config = JsonDocument.Parse(await Http.GetStringAsync("/api/map/config", Ct));
        return config.RootElement.TryGetProperty("demo", out var demo) ? demo.GetProperty("officerUnit").GetString() : null;
    });

    private async Task<JsonElement> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Clone();
    }

    /// <summary>A demo dossier in appraisal whose check fails with a finding that has a geometry to draw.</summary>
    private async Task<(string Number, string Rule)> FailingDossierInAppraisalAsync(string token)
    {
        var list = await GetAsync("/api/permits/applications?state=appraisal", token);
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var number = item.GetProperty("number").GetString()!;
            var check = await GetAsync($"/api/permits/applications/{number}/check", token);
            var drawn = check.GetProperty("findings").EnumerateArray()
                .FirstOrDefault(f => f.GetProperty("status").GetString() == "fail" && f.GetProperty("geometry").ValueKind == JsonValueKind.Object);
            if (drawn.ValueKind == JsonValueKind.Object)
            {
                return (number, drawn.GetProperty("rule").GetString()!);
            }
        }
        throw new InvalidOperationException("No demo dossier in appraisal fails with a drawable finding.");
    }

    /// <summary>How many features of a review layer the map has rendered in view.</summary>
    private Task<int> RenderedAsync(string layer) =>
        Page.EvaluateAsync<int>("layer => window.hcmcity.map.queryRenderedFeatures({ layers: [layer] }).length", layer);

    [Fact]
    public async Task An_officer_sees_the_failing_findings_drawn_approves_and_the_e_permit_verifies()
    {
        var unit = await DemoUnitAsync();
        var token = await Browser.SignInAsync("officer", unit);
        var (number, rule) = await FailingDossierInAppraisalAsync(token.AccessToken);
        var map = new MapPage(Page);
        await map.GotoAsync(waitForWards: false);

        await Page.Locator($"#dossier-list button[data-number='{number}']").ClickAsync();

        await Expect(map.PanelTitle).ToContainTextAsync(number);
        await Expect(Page.Locator("#check-verdict")).ToHaveTextAsync("Không đạt / Fail");
        var finding = Page.Locator($"#findings li.finding-fail[data-rule='{rule}']");
        await Expect(finding).ToBeVisibleAsync();
        await Expect(finding.Locator(".citation")).Not.ToBeEmptyAsync();
        // Drawn on the map, not only listed: the parcel outline, the footprint and the failing part.
        await Page.WaitForFunctionAsync(
            "() => window.hcmcity.map.queryRenderedFeatures({ layers: ['review-finding'] }).length > 0");
        Assert.True(await RenderedAsync("review-parcel") > 0);
        Assert.True(await RenderedAsync("review-footprint") > 0);
        await Browser.ScreenshotAsync("OfficerScreenTests.failing-findings-drawn");

        await Page.Locator("#decision-action").SelectOptionAsync("approve");
        await Page.Locator("#decision-reason").FillAsync("Chấp thuận có điều kiện: giảm mật độ theo bản vẽ điều chỉnh.");
        await Page.Locator("#decision-submit").ClickAsync();

        await Expect(Page.Locator("#dossier-state")).ToContainTextAsync("Đã cấp phép / Approved");
        var permitLink = Page.Locator("#permit-link");
        await Expect(permitLink).ToBeVisibleAsync();
        var permitNumber = await permitLink.TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(permitNumber));

        // The e-permit page any agency opens, and the API behind its QR code.
        var permitPage = await Browser.Context.RunAndWaitForPageAsync(() => permitLink.ClickAsync());
        await Expect(permitPage.Locator("#permit-number")).ToHaveTextAsync(permitNumber!);
        await Expect(permitPage.Locator("#status")).ToContainTextAsync("Còn hiệu lực");
        await permitPage.ScreenshotAsync(new() { Path = Screenshots.FileName("OfficerScreenTests.e-permit-page"), FullPage = true });
        using var verify = JsonDocument.Parse(await Http.GetStringAsync($"/api/permits/{Uri.EscapeDataString(permitNumber!)}/verify", Ct));
        Assert.True(verify.RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_refusal_without_a_reason_is_stopped_in_the_form_and_nothing_changes()
    {
        var unit = await DemoUnitAsync();
        var token = await Browser.SignInAsync("officer", unit);
        var list = await GetAsync("/api/permits/applications?state=submitted", token.AccessToken);
        var number = list.GetProperty("items")[0].GetProperty("number").GetString()!;
        var map = new MapPage(Page);
        await map.GotoAsync(waitForWards: false);
        await Page.Locator($"#dossier-list button[data-number='{number}']").ClickAsync();
        await Expect(Page.Locator("#dossier-state")).ToContainTextAsync("Đã nộp / Submitted");

        // A submitted dossier offers only the start of appraisal; once in appraisal, a refusal needs its grounds.
        await Expect(Page.Locator("#decision-action option")).ToHaveCountAsync(1);
        await Page.Locator("#decision-submit").ClickAsync();
        await Expect(Page.Locator("#dossier-state")).ToContainTextAsync("Đang thẩm định / In appraisal");
        await Page.Locator("#decision-action").SelectOptionAsync("refuse");
        await Page.Locator("#decision-submit").ClickAsync();

        await Expect(Page.Locator(".decision-message")).ToHaveTextAsync("Cần nêu lý do / A reason is required");
        var dossier = await GetAsync($"/api/permits/applications/{number}", token.AccessToken);
        Assert.Equal("appraisal", dossier.GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_officer_is_told_when_the_applicant_changed_their_profile_after_filing()
    {
        var unit = await DemoUnitAsync();
        var citizen = Fixture.Platform.Services.GetRequiredService<LocalTokenIssuer>().Issue($"citizen-{Guid.NewGuid():N}", "citizen").AccessToken;
        var parcels = await GetAsync($"/api/parcels?unit={unit}&limit=50", citizen);
        var id = parcels.GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").GetProperty("landUse").GetString()!.StartsWith("OD", StringComparison.Ordinal))
            .GetProperty("properties").GetProperty("id").GetInt64();
        var footprint = (await GetAsync($"/api/parcels/{id}?crs=EPSG:9210", citizen)).GetProperty("geometry");
        async Task<string> FileAsync(string address)
        {
            using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/permits/applications")
            {
                Content = JsonContent.Create(new
                {
                    parcelId = id,
                    permitType = "new-construction",
                    sitePlan = new { floors = 3, height = 12.0, roadWidth = 10.0, footprint },
                    applicant = new { citizenId = "079200054321", fullName = "Đặng Thị Đổi Địa Chỉ", address, phone = "0901234000" },
                }),
            };
            submit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", citizen);
            using var submitted = await Http.SendAsync(submit, Ct);
            submitted.EnsureSuccessStatusCode();
            return (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("number").GetString()!;
        }
        var first = await FileAsync("1 Lê Lợi, Sài Gòn");
        await FileAsync("2 Hàm Nghi, Sài Gòn");

        await Browser.SignInAsync("officer", unit);
        await new MapPage(Page).GotoAsync(waitForWards: false);
        await Page.Locator($"#dossier-list button[data-number='{first}']").ClickAsync();

        await Expect(Page.Locator("#applicant-changed")).ToContainTextAsync("profile changed since filing (v1 → v2)");
    }

    [Fact]
    public async Task A_citizen_follows_a_dossier_by_number_and_secret_and_a_wrong_secret_shows_nothing()
    {
        var citizen = await Browser.SignInAsync("citizen");
        var parcels = await GetAsync("/api/parcels?limit=50", citizen.AccessToken);
        var parcel = parcels.GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").GetProperty("landUse").GetString()!.StartsWith("OD", StringComparison.Ordinal));
        var id = parcel.GetProperty("properties").GetProperty("id").GetInt64();
        var projected = await GetAsync($"/api/parcels/{id}?crs=EPSG:9210", citizen.AccessToken);
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/permits/applications")
        {
            Content = JsonContent.Create(new
            {
                parcelId = id,
                permitType = "new-construction",
                sitePlan = new { floors = 3, height = 12.0, roadWidth = 10.0, footprint = projected.GetProperty("geometry") },
                applicant = new { citizenId = "079200012345", fullName = "Nguyễn Thị Tra Cứu", address = "1 Lê Lợi, Quận 1", phone = "0901234567" },
            }),
        };
        submit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", citizen.AccessToken);
        using var submitted = await Http.SendAsync(submit, Ct);
        submitted.EnsureSuccessStatusCode();
        var created = await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var number = created.GetProperty("number").GetString()!;
        var secret = created.GetProperty("trackingSecret").GetString()!;

        // A citizen needs no sign-in to track: a fresh, anonymous context.
        await using var anonymous = await BrowserPage.OpenAsync(Fixture);
        var page = anonymous.Page;
        await new MapPage(page).GotoAsync();
        await page.Locator("#track-open").ClickAsync();
        await page.Locator("#track-number").FillAsync(number);
        await page.Locator("#track-secret").FillAsync(secret + "x");
        await page.Locator("#track-submit").ClickAsync();
        await Expect(page.Locator("#track-result .error")).ToContainTextAsync("Không tìm thấy hồ sơ");

        await page.Locator("#track-secret").FillAsync(secret);
        await page.Locator("#track-submit").ClickAsync();

        await Expect(page.Locator("#track-state")).ToContainTextAsync("Đã nộp / Submitted");
        await Expect(page.Locator("#track-result .history li")).ToHaveCountAsync(1);
        // What the citizen sees carries no names.
        await Expect(page.Locator("#track-result")).Not.ToContainTextAsync("Nguyễn Thị Tra Cứu");
        await anonymous.ScreenshotAsync("OfficerScreenTests.citizen-tracking");
        anonymous.AssertNoPageErrors();
    }
}
