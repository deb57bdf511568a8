using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using HcmCity.Testing;
using HcmCity.Permits.Dossiers;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HcmCity.EndToEnd.Tests.Resilience;

/// <summary>
/// PostgreSQL goes away under a running platform and comes back: meanwhile the API answers 503 problem+json with
/// Retry-After and readiness fails; afterwards it serves again by itself, with what was stored before. The outage is
/// a relay the test cuts (<see cref="TcpProxy"/>), so the shared PostgreSQL server stays up for the other tests.
/// </summary>
public sealed class PostgresOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_the_database_is_unreachable_the_api_answers_503_with_retry_after_and_recovers_by_itself()
    {
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(server.Host!, server.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Timeout = 5 }.ConnectionString;
        await using var platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = viaProxy,
            // Off by default with a real database; the test submits a dossier with a demo citizen's token.
            ["Auth:DemoSignIn"] = "true",
            ["LandRecords:SeedParcels"] = "0",
        });
        Assert.IsType<PostgresPermitRepository>(platform.Services.GetRequiredService<IPermitRepository>());
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = platform.BaseAddress };

        var patch = new ParcelFixtures();
        var store = platform.Services.GetRequiredService<IParcelStore>();
        await store.UpsertAsync([patch.Lot("7", 1, 0, 0, width: 10, depth: 20)], Ct);
        var lot = (await store.SearchAsync(new ParcelQuery(Unit: patch.Unit), Ct)).Items.Single();
        var (number, secret) = await SubmitAsync(http, lot);
        var track = $"/api/track/{number}?secret={Uri.EscapeDataString(secret)}";
        var before = await OkJsonAsync(await http.GetAsync(track, Ct));

        proxy.Block();

        // Every kind of database use: a dossier read, a PostGIS parcel read, a submission (parcel lookup first).
        await AssertUnavailableAsync(await http.GetAsync(track, Ct));
        await AssertUnavailableAsync(await http.GetAsync($"/api/parcels/{lot.Id}", Ct));
        await AssertUnavailableAsync(await SendSubmissionAsync(http, lot));
        using (var ready = await http.GetAsync("/health/ready", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var health = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct));
            Assert.Equal("Unhealthy", health.RootElement.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        }

        var connectionsDuringOutage = proxy.Connections;
        proxy.Unblock();

        // No restart: the same platform serves again once its connection pool reaches the database.
        var afterText = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await http.GetAsync(track, Ct);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(Ct) : null;
        });
        var after = JsonDocument.Parse(afterText).RootElement;
        Assert.True(proxy.Connections > connectionsDuringOutage, "the platform should have connected again");
        Assert.Equal(before.GetProperty("state").GetString(), after.GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("number").GetString(), after.GetProperty("number").GetString());
        await Eventually.ReturnsAsync(async () =>
        {
            using var response = await http.GetAsync("/health/ready", Ct);
            return response.StatusCode == HttpStatusCode.OK ? "ready" : null;
        });
        Assert.Equal(lot.Id, (await OkJsonAsync(await http.GetAsync($"/api/parcels/{lot.Id}", Ct))).GetProperty("id").GetInt64());
        var (second, _) = await SubmitAsync(http, lot);
        Assert.NotEqual(number, second);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
            using var problem = JsonDocument.Parse(text);
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        }
    }

    private static async Task<(string Number, string Secret)> SubmitAsync(HttpClient http, Parcel lot)
    {
        using var response = await SendSubmissionAsync(http, lot);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("number").GetString()!, json.GetProperty("trackingSecret").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendSubmissionAsync(HttpClient http, Parcel lot)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permits/applications");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await CitizenTokenAsync(http));
        var x = lot.SourceGeometry.EnvelopeInternal.MinX + 1;
        var y = lot.SourceGeometry.EnvelopeInternal.MinY + 1;
        request.Content = JsonContent.Create(new
        {
            parcelId = lot.Id,
            permitType = "new-construction",
            sitePlan = new
            {
                floors = 4,
                height = 15.8,
                basements = 0,
                roadWidth = 8,
                footprint = new { type = "Polygon", coordinates = new[] { new[] { new[] { x, y }, new[] { x + 8, y }, new[] { x + 8, y + 16 }, new[] { x, y + 16 }, new[] { x, y } } } },
            },
            applicant = new { citizenId = "079123456789", fullName = "Trần Văn Bền", address = "1 Lê Lợi, Sài Gòn", phone = "0909000222" },
        });
        return await http.SendAsync(request, Ct);
    }

    private static Task<string> CitizenTokenAsync(HttpClient http) => http.DemoTokenAsync("citizen");

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
