using HcmCity.Testing;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>
/// The web map (maps/index.html at /) as the tests see it: its elements by id, and the steps a user takes.
/// Selectors live here only, so a change of the page's markup is fixed in one place.
/// </summary>
public sealed partial class MapPage(IPage page)
{
    public IPage Page => page;

    /// <summary>The MapLibre canvas inside #map.</summary>
    public ILocator Canvas => page.Locator("#map canvas.maplibregl-canvas");

    /// <summary>The status line at the bottom (progress, results and errors).</summary>
    public ILocator Status => page.Locator("#status-message");

    public ILocator SearchForm => page.Locator("#search");

    public ILocator SearchUnit => page.Locator("#search-unit");

    public ILocator SearchSheet => page.Locator("#search-sheet");

    public ILocator SearchNumber => page.Locator("#search-number");

    /// <summary>The search's own message under the form ("Đã tìm thấy ...", "Không tìm thấy ...").</summary>
    public ILocator SearchMessage => page.Locator("#search-message");

    /// <summary>Choices listed when several parcels match.</summary>
    public ILocator SearchResults => page.Locator("#search-results");

    /// <summary>The parcel side panel.</summary>
    public ILocator Panel => page.Locator("#panel");

    public ILocator PanelTitle => page.Locator("#panel-title");

    /// <summary>The top bar's demo sign-in form (role, unit code) and its message.</summary>
    public ILocator SessionRole => page.Locator("#session-role");

    public ILocator SessionUnit => page.Locator("#session-unit");

    public ILocator SessionMessage => page.Locator("#session-message");

    /// <summary>The role screen's work list (officer's dossiers, inspector's sites).</summary>
    public ILocator Work => page.Locator("#work");

    /// <summary>Status line once the ward boundaries are on the map: "{n} phường, xã / wards and communes. ...".</summary>
    [GeneratedRegex(@"(\d+) phường")]
    public static partial Regex WardsLoaded();

    /// <summary>
    /// Opens the map and waits for MapLibre's load event (the zoom indicator is filled in) and then, unless
    /// <paramref name="waitForWards"/> is false, for the status line announcing the ward boundaries. A role screen
    /// that starts with the page (signed in by <see cref="DemoSignIn"/>) may replace that status message at once:
    /// pass false there and wait for what the screen shows.
    /// </summary>
    public async Task GotoAsync(string path = "/", bool waitForWards = true)
    {
        await page.GotoAsync(path);
        await Expect(Canvas).ToBeVisibleAsync();
        await Expect(page.Locator("#status-zoom")).Not.ToBeEmptyAsync();
        if (waitForWards)
        {
            await Expect(Status).ToHaveTextAsync(WardsLoaded());
        }
    }

    /// <summary>Fills the parcel search (unit only when given) and submits it.</summary>
    public async Task SearchAsync(string sheet, string number, string? unit = null)
    {
        await SearchUnit.FillAsync(unit ?? string.Empty);
        await SearchSheet.FillAsync(sheet);
        await SearchNumber.FillAsync(number);
        await SearchForm.GetByRole(AriaRole.Button, new() { NameRegex = FindParcel() }).ClickAsync();
    }

    /// <summary>
    /// Signs in through the top bar as a user would (role "officer" or "inspector"), or signs out with a null role,
    /// and waits for the form's confirmation. An officer needs a unit code: without <paramref name="unit"/> the
    /// page's own default (embedded mode's demo unit, filled in when the role is chosen) is used.
    /// </summary>
    public async Task SignInAsync(string? role, string? unit = null)
    {
        await SessionRole.SelectOptionAsync(role ?? string.Empty);
        if (unit is not null)
        {
            await SessionUnit.FillAsync(unit);
        }
        await page.Locator("#session-submit").ClickAsync();
        if (role is null)
        {
            await Expect(SessionMessage).ToHaveTextAsync(string.Empty);
        }
        else
        {
            await Expect(SessionMessage).ToContainTextAsync("Đã đăng nhập / Signed in");
        }
    }

    /// <summary>The value cell (dd) after the panel's label cell (dt) that starts with <paramref name="label"/>.</summary>
    public ILocator PanelValue(string label) =>
        Panel.Locator("dt", new() { HasTextRegex = new Regex("^" + Regex.Escape(label)) })
            .Locator("xpath=following-sibling::dd[1]");

    [GeneratedRegex("Tìm thửa")]
    private static partial Regex FindParcel();
}
