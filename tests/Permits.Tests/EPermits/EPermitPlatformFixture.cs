using HcmCity.Testing;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using HcmCity.Permits.EPermits;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Permits.Tests.EPermits;

/// <summary>
/// The permits platform (a unit of its own with ten lots, demo tokens per actor) shared by the e-permit API and CLI
/// tests, with the e-permit service at hand.
/// </summary>
public sealed class EPermitPlatformFixture : HcmCity.Permits.Tests.Dossiers.PermitsPlatformFixture
{
    public EPermitService Permits => Platform.Services.GetRequiredService<EPermitService>();

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
}

[CollectionDefinition(Name)]
public sealed class EPermitPlatformCollection : ICollectionFixture<EPermitPlatformFixture>
{
    public const string Name = "E-permit platform";
}
