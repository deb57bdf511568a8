using HcmCity.Testing;
using System.Text.Json;
using Microsoft.Playwright;

namespace HcmCity.EndToEnd.Tests.Browser;

/// <summary>A demo account's token, as <c>POST /api/auth/demo-token</c> returns it.</summary>
public sealed record DemoToken(string AccessToken, string Role, string? Unit);

/// <summary>
/// Embedded mode's demo sign-in for browser tests, without going through the page's sign-in form (for that, see
/// <see cref="MapPage.SignInAsync"/>). The browser context ends up signed in both ways the platform knows:
/// <list type="bullet">
/// <item>the <c>hcm_token</c> cookie (HttpOnly, SameSite=Strict, path /) that the platform sets on the token
/// response, stored in the context's cookie jar because the request goes through the context's own request API;
/// pages such as the e-permit page and plain same-origin fetches rely on it;</item>
/// <item>the web map's session (maps/js/session.js keeps <c>{ token, role, unit }</c> in the tab's
/// sessionStorage under <see cref="MapSessionKey"/> and sends the token as a bearer header and to SignalR),
/// seeded into every new tab of the context before the map's scripts run, so the map opens on the role's screen.
/// </item>
/// </list>
/// Sign in before opening the page (or reload it after). A sign-out in the page sticks across reloads.
/// </summary>
public static class DemoSignIn
{
    /// <summary>Name of the cookie carrying the token (HcmCity.Web.Auth.AuthExtensions.TokenCookie).</summary>
    public const string Cookie = HcmCity.Web.Auth.AuthExtensions.TokenCookie;

    /// <summary>sessionStorage key of the map's session: STORAGE_KEY of maps/js/session.js.</summary>
    public const string MapSessionKey = "hcmcity.session";

    /// <summary>sessionStorage key where the seeding script notes which sign-in it applied last.</summary>
    private const string SeededKey = "hcmcity.test-sign-in";

    private static int _sequence;

    /// <summary>
    /// Signs <paramref name="context"/> in as <paramref name="role"/> (officer, inspector, developer, citizen,
    /// admin; see HcmCity.Web.Auth.Roles), optionally bound to an administrative <paramref name="unit"/> (the
    /// officer screen needs one). The context needs a BaseURL on the platform (<see cref="BrowserPage.OpenAsync"/>
    /// sets it).
    /// </summary>
    public static async Task<DemoToken> SignInAsync(this IBrowserContext context, string role, string? unit = null)
    {
        var response = await context.APIRequest.PostAsync("/api/auth/demo-token", new APIRequestContextOptions
        {
            DataObject = new Dictionary<string, string?> { ["role"] = role, ["unit"] = unit },
        });
        var body = await response.TextAsync();
        if (!response.Ok)
        {
            throw new InvalidOperationException(
                $"Demo sign-in as '{role}' failed: {response.Status} {response.StatusText} {body}");
        }
        using var json = JsonDocument.Parse(body);
        var token = new DemoToken(
            json.RootElement.GetProperty("accessToken").GetString()!, json.RootElement.GetProperty("role").GetString()!, unit);
        var cookies = await context.CookiesAsync();
        if (!cookies.Any(c => c.Name == Cookie && c.Value == token.AccessToken))
        {
            throw new InvalidOperationException($"Demo sign-in as '{role}' returned a token but the context kept no {Cookie} cookie.");
        }

        // Init scripts run in every frame on every load, in the order they were added. Each carries a sequence
        // number and applies only when it is newer than the last one applied in that tab, so a later sign-in wins
        // and a sign-out in the page is not undone by a reload.
        var origin = new Uri(new Uri(response.Url), "/").GetLeftPart(UriPartial.Authority);
        var session = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["token"] = token.AccessToken, ["role"] = token.Role, ["unit"] = unit,
        });
        var arguments = JsonSerializer.Serialize(new object[]
        {
            origin, MapSessionKey, session, SeededKey, Interlocked.Increment(ref _sequence),
        });
        await context.AddInitScriptAsync($$"""
            (([origin, key, session, seededKey, sequence]) => {
              if (window.location.origin !== origin || Number(sessionStorage.getItem(seededKey) || 0) >= sequence) {
                return;
              }
              sessionStorage.setItem(key, session);
              sessionStorage.setItem(seededKey, String(sequence));
            })({{arguments}});
            """);
        return token;
    }
}
