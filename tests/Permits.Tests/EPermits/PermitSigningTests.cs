using HcmCity.Testing;
using System.Text.Json;
using HcmCity.Abstractions.Permits;
using HcmCity.ServiceDefaults;
using HcmCity.Permits.Conditions;
using HcmCity.Permits.Dossiers;
using HcmCity.Permits.EPermits;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HcmCity.Permits.Tests.EPermits;

/// <summary>Issuing and verifying permits with <see cref="EPermitService"/>: signature, register, expiry, revocation, keys.</summary>
public sealed class PermitSigningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly PermitActor Officer7 = new("officer-7", "officer");

    [Fact]
    public async Task An_issued_permit_is_genuine_unaltered_and_valid_with_numbers_in_sequence_per_unit_and_year()
    {
        var bench = await PermitBench.CreateAsync();

        var first = await bench.IssueAsync();
        var second = await bench.IssueAsync();
        var verification = await bench.Service.VerifyAsync(first.Jws, Ct);

        Assert.Equal($"GP-{bench.Parcel.Key.Unit}-2026-000001", first.Number);
        Assert.Equal($"GP-{bench.Parcel.Key.Unit}-2026-000002", second.Number);
        Assert.True(verification.Genuine);
        Assert.True(verification.Unaltered);
        Assert.True(verification.Valid);
        Assert.False(verification.Revoked);
        Assert.True(verification.RevocationChecked);
        Assert.Empty(verification.Problems);
        Assert.Equal(bench.Key.KeyId, verification.KeyId);
        Assert.Equal(first.Number, verification.PermitNumber);
    }

    [Fact]
    public async Task Construction_must_start_within_the_configured_months_of_issue()
    {
        var bench = await PermitBench.CreateAsync(startWithinMonths: 6);

        var issued = await bench.IssueAsync();

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 2, 30, 15, TimeSpan.Zero), issued.IssuedAt);
        Assert.Equal(new DateTimeOffset(2027, 5, 25, 2, 30, 15, TimeSpan.Zero), issued.ValidUntil);
        Assert.Equal(issued.ValidUntil, (await bench.Service.VerifyAsync(issued.Jws, Ct)).ExpiresAt);
    }

    [Fact]
    public async Task One_changed_byte_in_the_payload_makes_the_permit_neither_unaltered_nor_genuine()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();

        var verification = await bench.Service.VerifyAsync(Jws.Tamper(issued.Jws, "\"floors\":5", "\"floors\":9"), Ct);

        Assert.False(verification.Unaltered);
        Assert.False(verification.Genuine);
        Assert.False(verification.Valid);
        Assert.Contains(verification.Problems, p => p.Contains("altered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_permit_signed_by_another_key_is_not_genuine_whatever_key_id_it_claims()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();
        var forger = PermitKey.Generate();

        var ownKid = await bench.Service.VerifyAsync(Jws.Forge(issued.Jws, forger), Ct);
        var platformKid = await bench.Service.VerifyAsync(Jws.ForgeWithKid(issued.Jws, forger), Ct);

        Assert.False(ownKid.Genuine);
        Assert.False(ownKid.Valid);
        Assert.Contains(ownKid.Problems, p => p.Contains(forger.KeyId, StringComparison.Ordinal));
        Assert.Equal(bench.Key.KeyId, platformKid.KeyId);
        Assert.False(platformKid.Genuine);
        Assert.False(platformKid.Valid);
    }

    [Fact]
    public async Task A_genuine_signature_on_a_permit_the_register_never_issued_is_not_genuine()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();
        var claims = PermitJws.Decode(issued.Jws).Claims with { Number = $"GP-{bench.Parcel.Key.Unit}-2026-999999" };

        var verification = await bench.Service.VerifyAsync(PermitJws.Sign(claims, bench.Key), Ct);

        Assert.True(verification.Unaltered);
        Assert.False(verification.Genuine);
        Assert.False(verification.Valid);
        Assert.Contains(verification.Problems, p => p.Contains("not in the permit register", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_its_validity_a_permit_is_still_genuine_but_not_valid()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();

        bench.Clock.SetUtcNow(issued.ValidUntil.AddSeconds(-1));
        var lastSecond = await bench.Service.VerifyAsync(issued.Jws, Ct);
        bench.Clock.SetUtcNow(issued.ValidUntil);
        var expired = await bench.Service.VerifyAsync(issued.Jws, Ct);

        Assert.True(lastSecond.Valid);
        Assert.True(expired.Genuine);
        Assert.True(expired.Unaltered);
        Assert.False(expired.Valid);
        Assert.Contains(expired.Problems, p => p.Contains("expired on 25/11/2027", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revoked_permit_is_not_valid_and_says_when_and_why_and_the_first_revocation_stands()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();
        bench.Clock.Advance(TimeSpan.FromDays(30));

        var recorded = await bench.Service.RevokeAsync(issued.Number, Officer7, "Xây dựng sai phép", Ct);
        bench.Clock.Advance(TimeSpan.FromDays(1));
        var again = await bench.Service.RevokeAsync(issued.Number, new PermitActor("officer-8", "officer"), "Lý do khác", Ct);
        var verification = await bench.Service.VerifyAsync(issued.Jws, Ct);
        var unknown = await bench.Service.RevokeAsync($"GP-{bench.Parcel.Key.Unit}-2026-000404", Officer7, "x", Ct);

        Assert.Equal(new PermitRevocation(issued.IssuedAt.AddDays(30), "officer-7", "Xây dựng sai phép"), recorded);
        Assert.Equal(recorded, again);
        Assert.True(verification.Genuine);
        Assert.True(verification.Revoked);
        Assert.False(verification.Valid);
        Assert.Equal(issued.IssuedAt.AddDays(30), verification.RevokedAt);
        Assert.Equal("Xây dựng sai phép", verification.Reason);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task Issuing_again_for_the_same_dossier_returns_the_permit_already_issued()
    {
        var bench = await PermitBench.CreateAsync();

        var first = await bench.IssueAsync("HS-2026-000123");
        bench.Clock.Advance(TimeSpan.FromHours(1));
        var retried = await bench.IssueAsync("HS-2026-000123");

        Assert.Equal(first, retried);
    }

    [Fact]
    public async Task The_signed_claims_name_the_holder_by_initials_only_and_verification_never_names_the_holder()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();

        var claims = PermitJws.Decode(issued.Jws).Claims;
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(issued.Jws.Split('.')[1]));
        var verification = JsonSerializer.Serialize(await bench.Service.VerifyAsync(issued.Jws, Ct));
        var stored = await bench.Service.GetAsync(issued.Number, Ct);

        Assert.Equal("N.V.A.", claims.HolderInitials);
        Assert.DoesNotContain("Nguyễn", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("citizen-an", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("Nguy", verification, StringComparison.Ordinal);
        Assert.Equal(PermitBench.HolderName, stored!.HolderName);
        Assert.Equal(bench.Parcel.Key.Sheet, claims.Parcel.Sheet);
        Assert.Equal(bench.Parcel.Key.Number, claims.Parcel.Number);
        Assert.Equal(bench.Parcel.Id, claims.Parcel.Id);
        Assert.Equal(5, claims.Scope.Floors);
        Assert.Equal(2, claims.Conditions.Count);
    }

    [Fact]
    public async Task A_standard_JWT_library_verifies_the_permit_with_the_published_JWKS_alone()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();
        var jwks = new JsonWebKeySet(bench.Service.PublicKeys.ToJwksJson());
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidTypes = [PermitJws.MediaType],
        };

        var genuine = await new JsonWebTokenHandler().ValidateTokenAsync(issued.Jws, parameters);
        var tampered = await new JsonWebTokenHandler().ValidateTokenAsync(
            Jws.Tamper(issued.Jws, "\"floors\":5", "\"floors\":9"), parameters);

        Assert.True(genuine.IsValid, genuine.Exception?.Message);
        Assert.Equal(issued.Number, ((JsonWebToken)genuine.SecurityToken).Id);
        Assert.Equal(bench.Key.KeyId, ((JsonWebToken)genuine.SecurityToken).Kid);
        Assert.False(tampered.IsValid);
    }

    [Fact]
    public async Task After_a_key_rotation_old_permits_verify_while_the_old_key_is_published_and_new_ones_use_the_new_key()
    {
        var old = await PermitBench.CreateAsync();
        var oldPermit = await old.IssueAsync();
        var newKey = PermitKey.Generate();
        var rotated = await PermitBench.CreateAsync(newKey, previous: [old.Key]);
        var dropped = await PermitBench.CreateAsync(newKey);

        var oldCheck = PermitJws.Check(oldPermit.Jws, rotated.Service.PublicKeys, rotated.Clock.GetUtcNow());
        var droppedCheck = PermitJws.Check(oldPermit.Jws, dropped.Service.PublicKeys, dropped.Clock.GetUtcNow());
        var newPermit = await rotated.IssueAsync();

        Assert.Equal([newKey.KeyId, old.Key.KeyId], rotated.Service.PublicKeys.ToJwks().Keys.Select(k => k.Kid));
        Assert.True(oldCheck.SignatureValid);
        Assert.False(droppedCheck.KnownKey);
        Assert.Equal(newKey.KeyId, PermitJws.Decode(newPermit.Jws).KeyId);
    }

    [Fact]
    public void A_key_id_is_the_RFC_7638_thumbprint_and_survives_PEM_and_JWKS_round_trips()
    {
        var key = PermitKey.Generate();

        var fromPublicPem = PermitKey.FromPem(key.ExportPublicKeyPem());
        var fromJwks = PermitKeySet.Parse(new PermitKeySet([key]).ToJwksJson()).Keys.Single();
        var thumbprint = Base64UrlEncoder.Encode(new JsonWebKey(JsonSerializer.Serialize(key.ToJwk())).ComputeJwkThumbprint());

        Assert.Equal(key.KeyId, fromPublicPem.KeyId);
        Assert.Equal(key.KeyId, fromJwks.KeyId);
        Assert.Equal(thumbprint, key.KeyId);
        Assert.False(fromPublicPem.HasPrivateKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jws")]
    [InlineData("a.b")]
    [InlineData("eyJhbGciOiJub25lIiwia2lkIjoiayJ9.e30.")]
    [InlineData("!!!.e30.AAAA")]
    public async Task Text_that_is_not_a_permit_JWS_is_refused_as_malformed(string text)
    {
        var bench = await PermitBench.CreateAsync();

        await Assert.ThrowsAsync<MalformedPermitException>(() => bench.Service.VerifyAsync(text, Ct));
    }

    [Fact]
    public void Production_without_a_signing_key_or_with_an_unreadable_one_names_the_setting()
    {
        var missing = Assert.Throws<ConfigurationException>(
            () => PermitSigningKeys.FromOptions(new EPermitOptions(), PlatformMode.Production));
        var unreadable = Assert.Throws<ConfigurationException>(
            () => PermitSigningKeys.FromOptions(new EPermitOptions { SigningKeyPem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, PlatformMode.Production));
        var publicOnly = Assert.Throws<ConfigurationException>(
            () => PermitSigningKeys.FromOptions(new EPermitOptions { SigningKeyPem = PermitKey.Generate().ExportPublicKeyPem() }, PlatformMode.Production));
        var embedded = PermitSigningKeys.FromOptions(new EPermitOptions(), PlatformMode.Embedded);

        Assert.StartsWith("EPermits:SigningKeyPem is missing", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith("EPermits:SigningKeyPem is not valid", unreadable.Message, StringComparison.Ordinal);
        Assert.Contains("EPermits:SigningKeyPem", publicOnly.Message, StringComparison.Ordinal);
        Assert.True(embedded.Generated);
    }

    private static PermitSiteConditions DefaultConditions(DateOnly issuedOn) =>
        SiteConditionRules.Decide(null, SiteConditionRules.Embedded(), PermitTypes.NewConstruction, issuedOn, 12).Conditions!;

    [Fact]
    public async Task A_version_1_permit_signed_before_site_conditions_existed_still_verifies_online_and_offline()
    {
        var bench = await PermitBench.CreateAsync();
        var issued = await bench.IssueAsync();
        // The payload exactly as permits were signed before claims version 2, with the platform's key.
        const string Payload = """{"jti":"GP-26743-2026-000007","iss":"Ủy ban nhân dân phường Bến Thành","issuerUnit":"26743","dossier":"HS-2026-000007","parcel":{"id":7,"unit":"26743","sheet":"9","number":"45"},"type":"new-construction","scope":{"floors":4,"basements":0,"heightM":15.8,"footprintM2":128},"conditions":["Che chắn công trình"],"holder":"N.V.A.","iat":1764037815,"exp":1795573815}""";
        var header = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"alg":"ES256","kid":"{{bench.Key.KeyId}}","typ":"permit+jwt"}"""));
        var signingInput = $"{header}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(Payload))}";
        var old = $"{signingInput}.{System.Buffers.Text.Base64Url.EncodeToString(bench.Key.Sign(System.Text.Encoding.ASCII.GetBytes(signingInput)))}";

        var offline = PermitVerification.Offline(PermitJws.Check(old, bench.Service.PublicKeys, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        var online = await bench.Service.VerifyAsync(issued.Jws, Ct);
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(issued.Jws.Split('.')[1]));

        Assert.True(offline.Valid);
        Assert.Null(PermitJws.Decode(old).Claims.SiteConditions);
        Assert.Null(PermitJws.Decode(old).Claims.FormatVersion);
        Assert.Null(offline.StartBy);
        Assert.True(online.Valid);
        Assert.Null(online.Phase);
        Assert.DoesNotContain("\"ver\"", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("\"site\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Site_conditions_are_signed_claims_version_2_valid_to_the_end_of_the_construction_period_and_a_loosened_limit_is_detected()
    {
        var bench = await PermitBench.CreateAsync();
        var conditions = DefaultConditions(new DateOnly(2026, 11, 25));

        var issued = await bench.Service.IssueAsync(bench.Request() with { SiteConditions = conditions }, Ct);
        var claims = PermitJws.Decode(issued.Jws).Claims;
        var online = await bench.Service.VerifyAsync(issued.Jws, Ct);
        var offline = PermitVerification.Offline(PermitJws.Check(issued.Jws, bench.Service.PublicKeys, bench.Clock.GetUtcNow()));
        var loosened = await bench.Service.VerifyAsync(Jws.Tamper(issued.Jws, "\"noiseDayDb\":70", "\"noiseDayDb\":90"), Ct);

        Assert.Equal(PermitClaims.SiteConditionsVersion, claims.FormatVersion);
        Assert.Equal(conditions, claims.SiteConditions);
        Assert.Equal(new DateOnly(2027, 11, 25), conditions.StartBy);
        Assert.Equal(new DateOnly(2030, 11, 25), conditions.ValidUntil);
        Assert.Equal(new DateTimeOffset(2030, 11, 26, 0, 0, 0, TimeSpan.FromHours(7)), issued.ValidUntil);
        Assert.True(online.Valid);
        Assert.Equal(conditions.StartBy, online.StartBy);
        Assert.True(offline.Valid);
        Assert.Equal(conditions.StartBy, offline.StartBy);
        Assert.Null(offline.Phase);
        Assert.False(offline.RevocationChecked);
        Assert.False(loosened.Unaltered);
        Assert.False(loosened.Valid);
    }

    [Theory]
    [InlineData("suspend", "commenced", "suspended", "construction suspended since 02/12/2026")]
    [InlineData("complete", "commenced", "completed", "construction completed on 02/12/2026")]
    [InlineData("expire", "approved", "expired", "expired on 02/12/2026: not commenced by the start-by date")]
    [InlineData("commence", "approved", "commenced", null)]
    public async Task Online_verification_states_the_construction_phase_recorded_on_the_dossier(
        string action, string from, string state, string? problem)
    {
        var bench = await PermitBench.CreateAsync();
        var dossier = $"HS-2026-{Random.Shared.Next(1_000_000):D6}";
        var at = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(7));
        await bench.Dossiers.CreateAsync(
            new PermitRecord(dossier, bench.Parcel.Key.Unit, bench.Parcel.Id, PermitTypes.NewConstruction,
                new PermitSitePlan(5, 19, 0, 8, "{}", 9210), 1, state, "citizen-an", "citizen", at, null, null, false, false, false,
                null, new byte[32], 1, at),
            new PermitEventRecord(dossier, 1, action, from, state, "officer-1", "officer", at, "Vượt ngưỡng ồn ban đêm"), Ct);
        var issued = await bench.Service.IssueAsync(bench.Request(dossier) with { SiteConditions = DefaultConditions(new DateOnly(2026, 11, 25)) }, Ct);
        bench.Clock.SetUtcNow(at.AddDays(1));

        var verification = await bench.Service.VerifyAsync(issued.Jws, Ct);

        Assert.Equal(state, verification.Phase);
        Assert.Equal(problem is null, verification.Valid);
        Assert.Equal((state == "suspended", state == "completed", state == "expired"),
            (verification.Suspended, verification.Completed, verification.Expired));
        if (problem is not null)
        {
            Assert.Contains(verification.Problems, p => p.Contains(problem, StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(verification.Problems);
        }
    }
}
