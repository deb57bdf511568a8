using HcmCity.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HcmCity.Permits.Tests.Dossiers;

namespace HcmCity.Permits.Tests.Security;

public sealed class EmbeddedApplicantIdentityTests(PermitsPlatformFixture fixture)
    : ApplicantIdentityTests(fixture), IClassFixture<PermitsPlatformFixture>;

public sealed class PostgresApplicantIdentityTests(PostgresPermitsPlatformFixture fixture)
    : ApplicantIdentityTests(fixture), IClassFixture<PostgresPermitsPlatformFixture>;

/// <summary>
/// "Declare once" is for the same person only. A citizen's profile belongs to their sign-in (linked to one CCCD,
/// once); another citizen who knows that CCCD can neither learn whether it is on file nor change what an officer sees
/// on its owner's dossiers; a change by the owner is a new version, and the officer sees that the profile changed.
/// Run in memory and on PostgreSQL.
/// </summary>
public abstract class ApplicantIdentityTests(PermitsPlatformFixture fixture)
{
    private const string Applications = "/api/permits/applications";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewCitizenId() => string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + Random.Shared.Next(10))));

    private static string NewSubject() => $"citizen-{Guid.NewGuid():N}";

    private sealed record Person(string CitizenId, string FullName, string Address, string Phone);

    private static Person Victim(string cccd) => new(cccd, "Trương Thị Chính Chủ", "12 Pasteur, Sài Gòn", "0903000111");

    private static Person Intruder(string cccd) => new(cccd, "Kẻ Mạo Danh", "99 Hẻm Lạ, Chợ Lớn", "0999000999");

    private async Task<HttpResponseMessage> SubmitAsync(string subject, int lot, object applicant)
    {
        var parcel = fixture.Lots[lot];
        var x = parcel.SourceGeometry.EnvelopeInternal.MinX + 1;
        var y = parcel.SourceGeometry.EnvelopeInternal.MinY + 1;
        using var request = new HttpRequestMessage(HttpMethod.Post, Applications)
        {
            Content = JsonContent.Create(new
            {
                parcelId = parcel.Id,
                permitType = "new-construction",
                sitePlan = new
                {
                    floors = 3, height = 12.0, basements = 0, roadWidth = 8,
                    footprint = new { type = "Polygon", coordinates = new[] { new[] { new[] { x, y }, new[] { x + 6, y }, new[] { x + 6, y + 12 }, new[] { x, y + 12 }, new[] { x, y } } } },
                },
                applicant,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.CitizenTokenOf(subject));
        return await fixture.Http.SendAsync(request, Ct);
    }

    private static object Full(Person p) => new { citizenId = p.CitizenId, fullName = p.FullName, address = p.Address, phone = p.Phone };

    private static object CccdOnly(string cccd) => new { citizenId = cccd };

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> OfficersViewAsync(string number)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Applications}/{number}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.OfficerToken);
        using var response = await fixture.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("applicant").Clone();
    }

    private static void AssertShows(Person expected, JsonElement applicant)
    {
        Assert.Equal(expected.CitizenId, applicant.GetProperty("citizenId").GetString());
        Assert.Equal(expected.FullName, applicant.GetProperty("fullName").GetString());
        Assert.Equal(expected.Address, applicant.GetProperty("address").GetString());
        Assert.Equal(expected.Phone, applicant.GetProperty("phone").GetString());
    }

    /// <summary>Status and problem body less the per-request trace id.</summary>
    private static async Task<string> GistAsync(HttpResponseMessage response)
    {
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        return string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} ") + string.Join(";",
            json.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
    }

    [Fact]
    public async Task Another_persons_cccd_alone_gets_the_same_answer_whether_or_not_it_is_on_file()
    {
        var onFile = NewCitizenId();
        await CreatedAsync(await SubmitAsync(NewSubject(), 0, Full(Victim(onFile))));
        var intruder = NewSubject();

        using var known = await SubmitAsync(intruder, 1, CccdOnly(onFile));
        using var unknown = await SubmitAsync(intruder, 1, CccdOnly(NewCitizenId()));

        Assert.Equal(HttpStatusCode.BadRequest, known.StatusCode);
        Assert.Equal(await GistAsync(unknown), await GistAsync(known));
        Assert.DoesNotContain(Victim(onFile).FullName, await known.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_cccd_with_another_name_address_and_phone_changes_nothing_the_officer_sees_on_its_owners_dossier()
    {
        var cccd = NewCitizenId();
        var victimsDossier = (await CreatedAsync(await SubmitAsync(NewSubject(), 2, Full(Victim(cccd))))).GetProperty("number").GetString()!;
        var intruder = NewSubject();

        var forged = await CreatedAsync(await SubmitAsync(intruder, 3, Full(Intruder(cccd))));
        var fresh = await CreatedAsync(await SubmitAsync(NewSubject(), 4, Full(Intruder(NewCitizenId()))));

        // The same answer as for a CCCD no one declared: nothing says the CCCD is on file.
        Assert.False(forged.GetProperty("applicantOnFile").GetBoolean());
        Assert.Equal(fresh.GetProperty("applicantOnFile").GetBoolean(), forged.GetProperty("applicantOnFile").GetBoolean());
        var victimsView = await OfficersViewAsync(victimsDossier);
        AssertShows(Victim(cccd), victimsView);
        Assert.False(victimsView.GetProperty("profileChanged").GetBoolean());
        // The intruder's own dossier carries what the intruder declared, never the victim's data.
        AssertShows(Intruder(cccd), await OfficersViewAsync(forged.GetProperty("number").GetString()!));
    }

    [Fact]
    public async Task The_owners_change_is_a_new_version_the_old_dossier_keeps_what_it_was_filed_with_and_says_it_changed()
    {
        var (owner, cccd) = (NewSubject(), NewCitizenId());
        var before = Victim(cccd);
        var after = before with { Address = "7 Đồng Khởi, Sài Gòn", Phone = "0903000222" };

        var first = await CreatedAsync(await SubmitAsync(owner, 5, Full(before)));
        var second = await CreatedAsync(await SubmitAsync(owner, 6, Full(after)));
        var third = await CreatedAsync(await SubmitAsync(owner, 7, CccdOnly(cccd)));

        Assert.False(first.GetProperty("applicantOnFile").GetBoolean());
        Assert.True(second.GetProperty("applicantOnFile").GetBoolean());
        Assert.True(third.GetProperty("applicantOnFile").GetBoolean());
        var filedFirst = await OfficersViewAsync(first.GetProperty("number").GetString()!);
        AssertShows(before, filedFirst);
        Assert.Equal((1, 2, true), (filedFirst.GetProperty("version").GetInt32(), filedFirst.GetProperty("currentVersion").GetInt32(),
            filedFirst.GetProperty("profileChanged").GetBoolean()));
        foreach (var later in new[] { second, third })
        {
            var view = await OfficersViewAsync(later.GetProperty("number").GetString()!);
            AssertShows(after, view);
            Assert.Equal((2, 2, false), (view.GetProperty("version").GetInt32(), view.GetProperty("currentVersion").GetInt32(),
                view.GetProperty("profileChanged").GetBoolean()));
        }
    }

    [Fact]
    public async Task An_account_is_linked_to_one_cccd_once()
    {
        var (owner, cccd) = (NewSubject(), NewCitizenId());
        await CreatedAsync(await SubmitAsync(owner, 8, Full(Victim(cccd))));

        using var other = await SubmitAsync(owner, 9, Full(Intruder(NewCitizenId())));

        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        using var problem = JsonDocument.Parse(await other.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("applicant.citizenId", out _));
    }
}
