using HcmCity.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>The demo sign-in helper signs a browser context in through the platform's own cookie.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoSignInTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>Status of a same-origin fetch by the page, which carries the context's cookies.</summary>
    private static Task<int> FetchStatusAsync(IPage page, string path, string method = "GET") =>
        page.EvaluateAsync<int>(
            "async ([path, method]) => (await fetch(path, { method, credentials: 'same-origin' })).status",
            new[] { path, method });

    [Fact]
    public async Task Signing_in_as_officer_authenticates_the_pages_of_that_context_only()
    {
        await Page.GotoAsync("/health/live");
        Assert.Equal(401, await FetchStatusAsync(Page, "/api/sites"));

        var token = await Browser.SignInAsync("officer");

        Assert.Equal("officer", token.Role);
        Assert.False(string.IsNullOrEmpty(token.AccessToken));
        var cookie = Assert.Single(await Browser.Context.CookiesAsync(), c => c.Name == DemoSignIn.Cookie);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(200, await FetchStatusAsync(Page, "/api/sites"));
        // A page opened after the sign-in is signed in too; the officer may not act as an inspector.
        var second = await Browser.Context.NewPageAsync();
        await second.GotoAsync("/health/live");
        Assert.Equal(200, await FetchStatusAsync(second, "/api/sites"));
        Assert.Equal(403, await FetchStatusAsync(second, "/api/alerts/none/acknowledge", "POST"));

        // Another test's context starts anonymous.
        await using var other = await BrowserPage.OpenAsync(Fixture);
        await other.Page.GotoAsync("/health/live");
        Assert.Equal(401, await FetchStatusAsync(other.Page, "/api/sites"));
    }

    [Fact]
    public async Task Signing_in_with_the_helper_opens_the_map_on_the_officer_screen()
    {
        await Browser.SignInAsync("officer", unit: "26743");
        var map = new MapPage(Page);

        await map.GotoAsync(waitForWards: false);

        await Expect(map.SessionMessage).ToContainTextAsync("Signed in: Cán bộ cấp phép / Permit officer · 26743");
        await Expect(map.SessionRole).ToHaveValueAsync("officer");
        await Expect(map.Work).ToBeVisibleAsync();
        await Expect(Page.Locator("#work-title")).ToHaveTextAsync("Hồ sơ cấp phép / Permit dossiers");
        // The officer's API calls carry the token: the work list is the unit's dossiers, not an error.
        await Expect(map.Work.Locator(".error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Signing_in_and_out_through_the_top_bar_sets_and_clears_the_cookie()
    {
        var map = new MapPage(Page);
        await map.GotoAsync();

        await map.SignInAsync("inspector");

        await Expect(map.SessionMessage).ToContainTextAsync("Thanh tra xây dựng / Inspector");
        await Expect(Page.Locator("#work-title")).ToHaveTextAsync("Cảnh báo công trường / Site alerts");
        Assert.Contains(await Browser.Context.CookiesAsync(), c => c.Name == DemoSignIn.Cookie);

        await map.SignInAsync(null);

        await Expect(map.Work).ToBeHiddenAsync();
        Assert.DoesNotContain(await Browser.Context.CookiesAsync(), c => c.Name == DemoSignIn.Cookie);
    }
}
