using HcmCity.Testing;
using HcmCity.Permits.Dossiers;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>The public figures page (công khai) in headless Chromium, without signing in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PublicPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_public_page_shows_a_wards_figures_and_switches_to_english()
    {
        // A ward of its own with three dossiers received today: one approved the same day, two still in appraisal.
        var ward = "pub" + Guid.NewGuid().ToString("N")[..8];
        var repository = Fixture.Platform.Services.GetRequiredService<IPermitRepository>();
        var clock = Fixture.Platform.Services.GetRequiredService<PermitClock>();
        var applicant = await repository.DeclareApplicantAsync(new ApplicantDeclaration("citizen-pub", "079000000321", "Phạm Thị Công Khai", "3 Lý Tự Trọng", "0909000222"), "citizen-pub", "citizen", Ct);
        var now = clock.Now;
        for (var i = 0; i < 3; i++)
        {
            var dossier = new PermitRecord($"HS-PUB-{ward}-{i}", ward, 1, "new-construction",
                new PermitSitePlan(3, 12, 0, 6, """{"type":"Polygon","coordinates":[[[0,0],[5,0],[5,5],[0,0]]]}""", 9210),
                applicant.Id, "submitted", "citizen-pub", "citizen", now, now, clock.Deadline(now), false, false, false, null,
                new byte[32], 1, now);
            await repository.CreateAsync(dossier, new(dossier.Number, 1, "submit", "", "submitted", "citizen-pub", "citizen", now, null), Ct);
            await repository.SaveAsync(dossier with { State = "appraisal", Version = 2 },
                new(dossier.Number, 2, "start-appraisal", "submitted", "appraisal", "officer-pub", "officer", now, null), Ct);
            if (i == 0)
            {
                await repository.SaveAsync(dossier with { State = "approved", Version = 3 },
                    new(dossier.Number, 3, "approve", "appraisal", "approved", "officer-pub", "officer", now, null), Ct);
            }
        }

        await Page.GotoAsync("/");
        await Page.Locator("#public-link").ClickAsync();

        var row = Page.Locator("#public-table tbody tr", new() { HasText = ward });
        await Expect(Page.Locator("#public-table thead")).ToContainTextAsync("Tiếp nhận");
        await Expect(row.Locator("td")).ToHaveTextAsync([ward, "Xây dựng mới", "3", "1", "1", "0", "0"]);
        await Expect(Page.Locator("#chart-on-time svg")).ToBeVisibleAsync();
        await Expect(Page.Locator("#chart-violations svg")).ToBeVisibleAsync();

        await Page.Locator("#language").ClickAsync();

        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Page.Locator("#public-table thead")).ToContainTextAsync("Received");
        await Expect(row.Locator("td")).ToHaveTextAsync([ward, "New construction", "3", "1", "1", "0", "0"]);
        await Expect(Page.Locator("#language")).ToHaveTextAsync("Tiếng Việt");
        Assert.DoesNotContain("Phạm Thị Công Khai", await Page.ContentAsync(), StringComparison.Ordinal);
    }
}
