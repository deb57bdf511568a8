using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using HcmCity.Integration.Tests.Infrastructure;
using HcmCity.Storage.EPermits;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Integration.Tests.EPermits;

/// <summary>The embedded platform with lots of a unit of its own and demo tokens, shared by the e-permit API and CLI tests.</summary>
public sealed class EPermitPlatformFixture : IAsyncLifetime
{
    public PlatformInstance Platform { get; private set; } = null!;

    /// <summary>No cookie jar: demo sign-in sets a cookie that would otherwise make every request the last role.</summary>
    public HttpClient Http { get; private set; } = null!;

    public ParcelFixtures Patch { get; } = new();

    /// <summary>Ten 10 × 20 m lots on sheet "9", numbers "1".."10".</summary>
    public IReadOnlyList<Parcel> Lots { get; private set; } = [];

    public string OfficerToken { get; private set; } = "";

    public string OtherUnitOfficerToken { get; private set; } = "";

    /// <summary>The demo citizen (subject "demo-citizen"), holder of the permits <see cref="IssueAsync"/> issues.</summary>
    public string CitizenToken { get; private set; } = "";

    public string DeveloperToken { get; private set; } = "";

    public EPermitService Permits => Platform.Services.GetRequiredService<EPermitService>();

    public async ValueTask InitializeAsync()
    {
        Platform = await PlatformInstance.StartAsync(new Dictionary<string, string?> { ["LandRecords:SeedParcels"] = "200" });
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Platform.BaseAddress };
        var store = Platform.Services.GetRequiredService<IParcelStore>();
        await store.UpsertAsync([.. Enumerable.Range(1, 10).Select(n => Patch.Lot("9", n, (n - 1) * 10, 0, width: 10, depth: 20))]);
        Lots = (await store.SearchAsync(new ParcelQuery(Unit: Patch.Unit, Limit: 100))).Items;
        OfficerToken = await TokenAsync("officer", Patch.Unit);
        OtherUnitOfficerToken = await TokenAsync("officer", "99999");
        CitizenToken = await TokenAsync("citizen", null);
        DeveloperToken = await TokenAsync("developer", null);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Platform.DisposeAsync();
    }

    /// <summary>A permit for lot <paramref name="lot"/> held by the demo citizen, issued as an approval would.</summary>
    public Task<IssuedEPermit> IssueAsync(int lot) => Permits.IssueAsync(new PermitToIssue(
        $"HS-{Guid.NewGuid():N}",
        Lots.Single(p => p.Key.Number == lot.ToString(System.Globalization.CultureInfo.InvariantCulture)).Id,
        PermitTypes.NewConstruction,
        new PermitScope(4, 1, 15.8, 128, 512),
        ["Giữ vệ sinh môi trường / keep the site clean"],
        "Lê Hoàng Bảo Châu",
        "demo-citizen"), TestContext.Current.CancellationToken);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? body = null)
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
        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<string> TokenAsync(string role, string? unit)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/demo-token", new { role, unit });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }
}

[CollectionDefinition(Name)]
public sealed class EPermitPlatformCollection : ICollectionFixture<EPermitPlatformFixture>
{
    public const string Name = "E-permit platform";
}
