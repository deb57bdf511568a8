using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Testing;
using HcmCity.Web.Developers;

namespace HcmCity.EndToEnd.Tests.Security;

/// <summary>
/// Developers' API keys on the embedded platform: created with a sign-in and shown once, accepted as X-Api-Key on
/// the open data endpoints, limited per key with 429 + Retry-After, refused once revoked, and never usable for
/// anything a developer may not do.
/// </summary>
public sealed class DeveloperKeysTests : IAsyncLifetime
{
    private PlatformInstance _platform = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _platform = await PlatformInstance.StartAsync(new Dictionary<string, string?> { ["LandRecords:SeedParcels"] = "100" });
        _http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _platform.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _platform.DisposeAsync();
    }

    private Task<string> TokenAsync(string role) => _http.DemoTokenAsync(role);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, string? apiKey = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
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

    private async Task<JsonElement> CreateKeyAsync(string token, string name, int? requestsPerMinute = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/developer/keys", token, body: new { name, requestsPerMinute });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task A_key_is_shown_once_and_opens_the_open_data_endpoints_as_a_developer()
    {
        var developer = await TokenAsync("developer");
        var created = await CreateKeyAsync(developer, "Ứng dụng bản đồ quận 1");
        var key = created.GetProperty("key").GetString()!;

        using var list = await SendAsync(HttpMethod.Get, "/api/developer/keys", developer);
        var listed = await list.Content.ReadAsStringAsync(Ct);
        using var parcels = await SendAsync(HttpMethod.Get, "/api/parcels?limit=1", apiKey: key);
        using var ogc = await SendAsync(HttpMethod.Get, "/ogc/collections/parcels/items?limit=1", apiKey: key);
        using var officerOnly = await SendAsync(HttpMethod.Get, "/api/permits/applications", apiKey: key);
        using var keysWithKey = await SendAsync(HttpMethod.Get, "/api/developer/keys", apiKey: key);

        Assert.StartsWith("hcm_", key, StringComparison.Ordinal);
        Assert.Contains(created.GetProperty("prefix").GetString()!, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, parcels.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ogc.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, officerOnly.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keysWithKey.StatusCode); // keys are managed with a sign-in, not a key
    }

    [Fact]
    public async Task Over_its_limit_a_key_gets_429_with_Retry_After_and_other_keys_are_unaffected()
    {
        var developer = await TokenAsync("developer");
        var small = (await CreateKeyAsync(developer, "small", requestsPerMinute: 3)).GetProperty("key").GetString()!;
        var other = (await CreateKeyAsync(developer, "other", requestsPerMinute: 3)).GetProperty("key").GetString()!;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await SendAsync(HttpMethod.Get, "/api/parcels?limit=1", apiKey: small);
            statuses.Add(ok.StatusCode);
        }
        using var limited = await SendAsync(HttpMethod.Get, "/api/parcels?limit=1", apiKey: small);
        using var otherKey = await SendAsync(HttpMethod.Get, "/api/parcels?limit=1", apiKey: other);
        using var signedIn = await SendAsync(HttpMethod.Get, "/api/parcels?limit=1", developer);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task Unknown_malformed_and_revoked_keys_are_401()
    {
        var developer = await TokenAsync("developer");
        var created = await CreateKeyAsync(developer, "to revoke");
        var key = created.GetProperty("key").GetString()!;
        var forged = key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var before = await SendAsync(HttpMethod.Get, "/api/sites", apiKey: key);
        using var revoke = await SendAsync(HttpMethod.Delete, $"/api/developer/keys/{created.GetProperty("id").GetString()}", developer);
        using var after = await SendAsync(HttpMethod.Get, "/api/sites", apiKey: key);
        using var wrong = await SendAsync(HttpMethod.Get, "/api/sites", apiKey: forged);
        using var garbage = await SendAsync(HttpMethod.Get, "/api/sites", apiKey: "' OR 1=1 --");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
    }

    [Fact]
    public async Task Bad_key_requests_are_400_naming_the_field_and_only_developers_manage_keys()
    {
        var developer = await TokenAsync("developer");
        using var noName = await SendAsync(HttpMethod.Post, "/api/developer/keys", developer, body: new { name = " " });
        using var tooFast = await SendAsync(HttpMethod.Post, "/api/developer/keys", developer, body: new { name = "x", requestsPerMinute = 0 });
        using var badId = await SendAsync(HttpMethod.Delete, "/api/developer/keys/not-a-uuid", developer);
        using var unknown = await SendAsync(HttpMethod.Delete, $"/api/developer/keys/{Guid.NewGuid()}", developer);
        using var citizen = await SendAsync(HttpMethod.Post, "/api/developer/keys", await TokenAsync("citizen"), body: new { name = "x" });
        using var anonymous = await SendAsync(HttpMethod.Post, "/api/developer/keys", body: new { name = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Contains("\"name\"", await noName.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooFast.StatusCode);
        Assert.Contains("requestsPerMinute", await tooFast.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, citizen.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

/// <summary>The key store on PostgreSQL: only the hash at rest, revocation by its owner only.</summary>
public sealed class PostgresApiKeyStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_database_holds_the_hash_never_the_key_and_only_the_owner_revokes()
    {
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        await database.MigrateAsync(Ct);
        var store = new PostgresApiKeyStore(database.DataSource);
        var (key, prefix) = ApiKeyFormat.New();
        var record = new ApiKeyRecord(Guid.NewGuid(), prefix, ApiKeyFormat.Hash(key), "dev-a", "bản đồ", 60, DateTimeOffset.UtcNow, null);

        await store.AddAsync(record, Ct);
        await using var scan = database.DataSource.CreateCommand("SELECT count(*) FROM api_keys WHERE row_to_json(api_keys)::text LIKE '%' || $1 || '%'");
        scan.Parameters.Add(new() { Value = key.Split('_')[2] });
        var rowsWithTheSecret = (long)(await scan.ExecuteScalarAsync(Ct))!;
        var found = await store.FindByPrefixAsync(prefix, Ct);
        var byOther = await store.RevokeAsync(record.Id, "dev-b", DateTimeOffset.UtcNow, Ct);
        var byOwner = await store.RevokeAsync(record.Id, "dev-a", DateTimeOffset.UtcNow, Ct);
        var revoked = await store.FindByPrefixAsync(prefix, Ct);

        Assert.Equal(0, rowsWithTheSecret);
        Assert.NotNull(found);
        Assert.True(ApiKeyFormat.Matches(key, found));
        Assert.False(ApiKeyFormat.Matches(key + "x", found));
        Assert.False(byOther);
        Assert.True(byOwner);
        Assert.NotNull(revoked!.RevokedAt);
        Assert.Single(await store.ListAsync("dev-a", Ct));
        Assert.Empty(await store.ListAsync("dev-b", Ct));
    }

    [Fact]
    public void Key_format_rejects_anything_but_its_own_shape()
    {
        var (key, prefix) = ApiKeyFormat.New();

        Assert.Equal(prefix, ApiKeyFormat.PrefixOf(key));
        Assert.Null(ApiKeyFormat.PrefixOf("Bearer abc"));
        Assert.Null(ApiKeyFormat.PrefixOf("hcm_short_x"));
        Assert.Null(ApiKeyFormat.PrefixOf(key + new string('a', 200)));
        Assert.NotEqual(key, ApiKeyFormat.New().Key);
    }
}
