using HcmCity.Testing;
using System.Net;
using System.Text.Json;
using HcmCity.Permits.EPermits;

namespace HcmCity.Permits.Tests.EPermits;

[Collection(EPermitPlatformCollection.Name)]
public sealed class EPermitsApiTests(EPermitPlatformFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Approving_a_dossier_issues_an_e_permit_that_verifies_with_the_site_plan_as_its_scope()
    {
        var lot = fixture.Lots.Single(p => p.Key.Number == "1");
        var x = lot.SourceGeometry.EnvelopeInternal.MinX + 1;
        var y = lot.SourceGeometry.EnvelopeInternal.MinY + 1;
        var submitted = await JsonAsync(await fixture.SendAsync(HttpMethod.Post, "/api/permits/applications", fixture.CitizenToken, new
        {
            parcelId = lot.Id,
            permitType = "new-construction",
            sitePlan = new
            {
                floors = 4, height = 15.8, basements = 0, roadWidth = 8,
                footprint = new { type = "Polygon", coordinates = new[] { new[] { new[] { x, y }, new[] { x + 8, y }, new[] { x + 8, y + 16 }, new[] { x, y + 16 }, new[] { x, y } } } },
            },
            applicant = new { citizenId = "079123456789", fullName = "Nguyễn Thị Hồ Sơ", address = "18 Nguyễn Huệ", phone = "0909000111" },
        }), HttpStatusCode.Created);
        var dossier = submitted.GetProperty("number").GetString()!;
        var transitions = $"/api/permits/applications/{dossier}/transitions";
        await JsonAsync(await fixture.SendAsync(HttpMethod.Post, transitions, fixture.OfficerToken, new { action = "start-appraisal" }));
        var approved = await JsonAsync(await fixture.SendAsync(HttpMethod.Post, transitions, fixture.OfficerToken,
            new { action = "approve", reason = "Che chắn công trình khi thi công" }));
        var number = approved.GetProperty("permitNumber").GetString()!;

        var verification = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, $"/api/permits/{number}/verify"));
        var permit = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, $"/api/permits/{number}"));

        Assert.Matches($"^GP-{fixture.Patch.Unit}-\\d{{4}}-\\d{{6}}$", number);
        Assert.True(verification.GetProperty("genuine").GetBoolean());
        Assert.True(verification.GetProperty("unaltered").GetBoolean());
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.False(verification.GetProperty("revoked").GetBoolean());
        var claims = permit.GetProperty("claims");
        Assert.Equal(dossier, claims.GetProperty("dossier").GetString());
        Assert.Equal(lot.Id, claims.GetProperty("parcel").GetProperty("id").GetInt64());
        Assert.Equal(4, claims.GetProperty("scope").GetProperty("floors").GetInt32());
        Assert.Equal(128, claims.GetProperty("scope").GetProperty("footprintM2").GetDouble(), 2);
        Assert.Equal(["Che chắn công trình khi thi công"], claims.GetProperty("conditions").EnumerateArray().Select(c => c.GetString()));
        Assert.DoesNotContain("Nguyễn Thị Hồ Sơ", permit.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_permit_json_has_claims_jws_and_status_and_the_holder_name_only_for_the_holder_and_officers()
    {
        var issued = await fixture.IssueAsync(2);

        var anonymous = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, $"/api/permits/{issued.Number}"));
        var developer = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, $"/api/permits/{issued.Number}", fixture.DeveloperToken));
        var holder = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, $"/api/permits/{issued.Number}", fixture.CitizenToken));
        var officer = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, $"/api/permits/{issued.Number}", fixture.OfficerToken));

        Assert.Equal(issued.Jws, anonymous.GetProperty("jws").GetString());
        Assert.Equal(issued.Number, anonymous.GetProperty("claims").GetProperty("jti").GetString());
        Assert.Equal("L.H.B.C.", anonymous.GetProperty("claims").GetProperty("holder").GetString());
        Assert.True(anonymous.GetProperty("status").GetProperty("valid").GetBoolean());
        Assert.EndsWith($"/permits/verify#{issued.Jws}", anonymous.GetProperty("verifyUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("holderName").ValueKind);
        Assert.DoesNotContain("Châu", anonymous.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, developer.GetProperty("holderName").ValueKind);
        Assert.Equal("Lê Hoàng Bảo Châu", holder.GetProperty("holderName").GetString());
        Assert.Equal("Lê Hoàng Bảo Châu", officer.GetProperty("holderName").GetString());
    }

    [Fact]
    public async Task Verifying_a_JWS_from_paper_tells_genuine_from_altered_and_forged_and_names_the_field_of_bad_input()
    {
        var issued = await fixture.IssueAsync(3);

        var genuine = await JsonAsync(await Verify(issued.Jws));
        var altered = await JsonAsync(await Verify(Jws.Tamper(issued.Jws, "\"floors\":4", "\"floors\":7")));
        var forged = await JsonAsync(await Verify(Jws.ForgeWithKid(issued.Jws, PermitKey.Generate())));

        Assert.True(genuine.GetProperty("valid").GetBoolean());
        Assert.Equal(issued.Number, genuine.GetProperty("permitNumber").GetString());
        Assert.False(altered.GetProperty("unaltered").GetBoolean());
        Assert.False(altered.GetProperty("genuine").GetBoolean());
        Assert.False(altered.GetProperty("valid").GetBoolean());
        Assert.False(forged.GetProperty("genuine").GetBoolean());
        Assert.False(forged.GetProperty("valid").GetBoolean());
        Assert.DoesNotContain("Châu", genuine.GetRawText(), StringComparison.Ordinal);
        await AssertBadInputAsync(await Verify("eyJhbGciOiJub25lIn0.e30."), "jws");
        await AssertBadInputAsync(await Verify(""), "jws");
        await AssertBadInputAsync(await fixture.SendAsync(HttpMethod.Get, "/api/permits/GP-26743-2026-'or'1'='1/verify"), "no");
    }

    [Fact]
    public async Task An_officer_of_the_issuing_unit_revokes_and_the_revocation_shows_in_verify_page_and_list()
    {
        var issued = await fixture.IssueAsync(4);
        var path = $"/api/permits/{issued.Number}/revocation";
        var body = new { reason = "Xây dựng sai nội dung giấy phép" };

        var anonymous = await fixture.SendAsync(HttpMethod.Post, path, null, body);
        var citizen = await fixture.SendAsync(HttpMethod.Post, path, fixture.CitizenToken, body);
        var otherUnit = await fixture.SendAsync(HttpMethod.Post, path, fixture.OtherUnitOfficerToken, body);
        await AssertBadInputAsync(await fixture.SendAsync(HttpMethod.Post, path, fixture.OfficerToken, new { reason = " " }), "reason");
        var revoked = await JsonAsync(await fixture.SendAsync(HttpMethod.Post, path, fixture.OfficerToken, body));
        var again = await fixture.SendAsync(HttpMethod.Post, path, fixture.OfficerToken, new { reason = "Lần nữa" });
        var verification = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, $"/api/permits/{issued.Number}/verify"));
        var fromPaper = await JsonAsync(await Verify(issued.Jws));
        var list = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, "/api/permits/revocations"));
        var page = await PageAsync(issued.Number);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, citizen.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherUnit.StatusCode);
        Assert.Equal("demo-officer", revoked.GetProperty("revokedBy").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        foreach (var result in new[] { verification, fromPaper })
        {
            Assert.True(result.GetProperty("genuine").GetBoolean());
            Assert.True(result.GetProperty("revoked").GetBoolean());
            Assert.False(result.GetProperty("valid").GetBoolean());
            Assert.Equal("Xây dựng sai nội dung giấy phép", result.GetProperty("reason").GetString());
            Assert.Equal(revoked.GetProperty("revokedAt").GetDateTimeOffset(), result.GetProperty("revokedAt").GetDateTimeOffset());
        }
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("number").GetString() == issued.Number);
        Assert.Contains("ĐÃ THU HỒI", page, StringComparison.Ordinal);
        Assert.Contains("Xây dựng sai nội dung giấy phép", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_permit_page_is_vietnamese_first_names_permit_and_parcel_and_carries_an_svg_qr_code()
    {
        var issued = await fixture.IssueAsync(5);
        var lot = fixture.Lots.Single(p => p.Key.Number == "5");

        using var response = await fixture.SendAsync(HttpMethod.Get, $"/permits/{issued.Number}");
        var page = await response.Content.ReadAsStringAsync(Ct);
        var holderPage = await PageAsync(issued.Number, fixture.CitizenToken);
        using var verifyPage = await fixture.SendAsync(HttpMethod.Get, "/permits/verify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"vi\">", page, StringComparison.Ordinal);
        Assert.Contains("GIẤY PHÉP XÂY DỰNG MỚI", page, StringComparison.Ordinal);
        Assert.Contains($"<strong id=\"permit-number\">{issued.Number}</strong>", page, StringComparison.Ordinal);
        Assert.Contains($"Thửa số {lot.Key.Number}, tờ bản đồ số {lot.Key.Sheet}, đơn vị {lot.Key.Unit}", page, StringComparison.Ordinal);
        Assert.Contains("Còn hiệu lực", page, StringComparison.Ordinal);
        Assert.Matches("<svg [^>]*viewBox=\"0 0 \\d+ \\d+\"", page);
        Assert.Contains("<path fill=\"#000000\" d=\"M", page, StringComparison.Ordinal);
        Assert.Contains("L.H.B.C.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Lê Hoàng Bảo Châu", page, StringComparison.Ordinal);
        Assert.Contains("Lê Hoàng Bảo Châu", holderPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, verifyPage.StatusCode);
        Assert.Contains("/api/permits/verify", await verifyPage.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_published_JWKS_holds_the_key_named_in_the_permit_header_and_unknown_numbers_are_404()
    {
        var issued = await fixture.IssueAsync(6);

        var jwks = await JsonAsync(await fixture.SendAsync(HttpMethod.Get, "/api/permits/keys"));
        using var unknown = await fixture.SendAsync(HttpMethod.Get, $"/api/permits/GP-{fixture.Patch.Unit}-2026-999999/verify");
        using var unknownPage = await fixture.SendAsync(HttpMethod.Get, $"/permits/GP-{fixture.Patch.Unit}-2026-999999");

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal(PermitJws.Decode(issued.Jws).KeyId, key.GetProperty("kid").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.False(key.TryGetProperty("d", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPage.StatusCode);
    }

    private Task<HttpResponseMessage> Verify(string jws) =>
        fixture.SendAsync(HttpMethod.Post, "/api/permits/verify", null, new { jws });

    private async Task<string> PageAsync(string number, string? token = null)
    {
        using var response = await fixture.SendAsync(HttpMethod.Get, $"/permits/{number}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static async Task AssertBadInputAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(text);
            Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"Expected errors to name {field}: {text}");
        }
    }
}
