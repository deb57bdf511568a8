using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.EndToEnd.Tests.BadInput;

/// <summary>
/// The one embedded platform every bad-input test shares, over real HTTP and MQTT: a small synthetic city, ten
/// 10 × 20 m lots of a unit of our own (for site plans and dossiers) and a demo token per role.
/// </summary>
public sealed class BadInputPlatformFixture : IAsyncLifetime
{
    public PlatformInstance Platform { get; private set; } = null!;

    /// <summary>No cookie jar: demo sign-in sets a token cookie that would stand in for every later request's role.</summary>
    public HttpClient Http { get; private set; } = null!;

    public ParcelFixtures Patch { get; } = new();

    /// <summary>Ten 10 × 20 m lots on sheet "5", in EPSG:9210.</summary>
    public IReadOnlyList<Parcel> Lots { get; private set; } = [];

    public string Broker => $"127.0.0.1:{Platform.MqttPort}";

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        Platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
        {
            ["LandRecords:SeedParcels"] = "300",
            // The fuzz tests send thousands of anonymous requests from one address within a minute; the limits
            // themselves are tested in Security.AbuseLimitsTests.
            ["RateLimits:AnonymousRequests"] = "1000000",
        });
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Platform.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var store = Platform.Services.GetRequiredService<IParcelStore>();
        await store.UpsertAsync([.. Enumerable.Range(1, 10).Select(n => Patch.Lot("5", n, (n - 1) * 10, 0, width: 10, depth: 20))]);
        Lots = (await store.SearchAsync(new ParcelQuery(Unit: Patch.Unit, Limit: 100))).Items;
        foreach (var role in new[] { "citizen", "officer", "inspector", "developer", "admin" })
        {
            _tokens[role] = await Http.DemoTokenAsync(role, Patch.Unit);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Platform.DisposeAsync();
    }

    public string Token(string role) => _tokens[role];

    /// <summary>Sends <paramref name="body"/> as it is (no serializer in between), as <paramref name="role"/>.</summary>
    public async Task<HttpResponseMessage> SendTextAsync(HttpMethod method, string url, string? role, string? body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(role));
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        }
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The platform answers /health/ready with 200: bad input left it healthy.</summary>
    public async Task AssertHealthyAsync()
    {
        using var response = await Http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Parcels in the land records (the synthetic city and our lots).</summary>
    public async Task<long> ParcelCountAsync() =>
        (await Platform.Services.GetRequiredService<IParcelStore>().SearchAsync(new ParcelQuery(Limit: 1), TestContext.Current.CancellationToken)).NumberMatched;
}

[CollectionDefinition(Name)]
public sealed class BadInputCollection : ICollectionFixture<BadInputPlatformFixture>
{
    public const string Name = "Bad input platform";
}

/// <summary>Checks of the answers to bad input.</summary>
internal static class Problem
{
    /// <summary>
    /// <paramref name="status"/> as problem+json whose <c>errors</c> name <paramref name="field"/>; returns the body.
    /// <paramref name="context"/> says which input it was, for the failure message.
    /// </summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string field, string context)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"{context}: expected {(int)status} naming '{field}', got {(int)response.StatusCode}: {Shorten(body)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{context}: expected application/problem+json, got {response.Content.Headers.ContentType}: {Shorten(body)}");
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.True(json.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            && messages.GetArrayLength() > 0 && messages[0].GetString() is { Length: > 0 },
            $"{context}: expected errors to name '{field}' with a message: {Shorten(body)}");
        return json;
    }

    /// <summary>400 problem+json naming <paramref name="field"/>.</summary>
    public static Task<JsonElement> BadInputAsync(HttpResponseMessage response, string field, string context) =>
        AssertAsync(response, HttpStatusCode.BadRequest, field, context);

    public static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
