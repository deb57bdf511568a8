using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Testing;
using HcmCity.Silo.Hosting;

namespace HcmCity.EndToEnd.Tests.Security;

/// <summary>
/// Abuse limits apply to everyone: requests without an API key are limited per client address (tiles apart, with
/// their own budget), and a bad or revoked key is refused with 401 instead of being served as anonymous.
/// </summary>
public sealed class AbuseLimitsTests : IAsyncLifetime
{
    /// <summary>Small budgets, so that a flood is a handful of requests.</summary>
    private const int AnonymousRequests = 6;

    private const int AnonymousTileRequests = 10;

    private PlatformInstance _platform = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
        {
            ["LandRecords:SeedParcels"] = "100",
            ["RateLimits:AnonymousRequests"] = AnonymousRequests.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:AnonymousTileRequests"] = AnonymousTileRequests.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // One window for the whole test: nothing is refilled while it runs.
            ["RateLimits:Window"] = "01:00:00",
        });
        _http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _platform.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _platform.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        return await _http.SendAsync(request, Ct);
    }

    /// <summary>A developer's key, made with a sign-in; the sign-in itself is one anonymous request.</summary>
    private async Task<(string Token, string Key, string Id)> DeveloperKeyAsync()
    {
        var token = await _http.DemoTokenAsync("developer");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/developer/keys") { Content = JsonContent.Create(new { name = "bản đồ" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var created = await _http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (token, json.GetProperty("key").GetString()!, json.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task An_anonymous_flood_gets_429_problem_json_with_Retry_After_while_keys_tiles_and_health_go_on()
    {
        var (token, key, _) = await DeveloperKeyAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i < AnonymousRequests; i++)
        {
            using var ok = await GetAsync("/api/parcels?limit=1");
            statuses.Add(ok.StatusCode);
        }

        using var limited = await GetAsync("/api/parcels?limit=1");
        using var garbageKey = await GetAsync("/api/parcels?limit=1", apiKey: "hcm_garbage");
        using var withKey = await GetAsync("/api/parcels?limit=1", apiKey: key);
        using var signedIn = await GetAsync("/api/parcels?limit=1", token);
        using var tile = await GetAsync("/tiles/parcels/0/0/0.mvt");
        using var health = await GetAsync("/health/ready");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Contains("API", await limited.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // A bad key does not escape the limit of its address.
        Assert.Equal(HttpStatusCode.TooManyRequests, garbageKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, tile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Tiles_have_their_own_larger_budget_per_address()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < AnonymousTileRequests; i++)
        {
            using var tile = await GetAsync($"/tiles/parcels/1/{i % 2}/{i / 2 % 2}.mvt");
            statuses.Add(tile.StatusCode);
        }

        using var limited = await GetAsync("/tiles/parcels/0/0/0.mvt");
        using var api = await GetAsync("/api/parcels?limit=1");

        Assert.Equal(AnonymousTileRequests, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Garbage_unknown_and_revoked_keys_get_401_problem_json_naming_the_header_on_open_endpoints()
    {
        var (token, key, id) = await DeveloperKeyAsync();
        var unknown = key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var before = await GetAsync("/api/parcels?limit=1", apiKey: key);
        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/api/developer/keys/{id}");
        revoke.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var revoked = await _http.SendAsync(revoke, Ct);

        using var garbage = await GetAsync("/api/parcels?limit=1", apiKey: "' OR 1=1 --");
        using var forged = await GetAsync("/ogc/collections/parcels/items?limit=1", apiKey: unknown);
        using var afterRevocation = await GetAsync("/api/parcels?limit=1", apiKey: key);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        foreach (var (response, says) in new[] { (garbage, "unknown"), (forged, "unknown"), (afterRevocation, "revoked") })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var message = problem.GetProperty("errors").GetProperty("X-Api-Key")[0].GetString();
            Assert.Contains(says, message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("RateLimits:AnonymousRequests", "0")]
    [InlineData("RateLimits:AnonymousTileRequests", "-1")]
    [InlineData("RateLimits:Window", "00:00:00")]
    public async Task A_rate_limit_setting_out_of_range_stops_the_start_and_is_named(string key, string value)
    {
        await using var app = PlatformHost.Build([
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Mqtt=127.0.0.1:{FreePort.Next()}",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            "--Simulator:Enabled=false",
            $"--{key}={value}"]);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync(Ct));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
