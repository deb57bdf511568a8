using HcmCity.Testing;
using HcmCity.Permits.Conditions;
using HcmCity.Permits.EPermits;

namespace HcmCity.Permits.Tests.EPermits;

/// <summary>
/// The CLI verbs run as a real process (`dotnet HcmCity.Silo.dll ...`) with files only: no database, no server.
/// Permits come from the running platform; the CLI gets nothing but the published public keys.
/// </summary>
[Collection(EPermitPlatformCollection.Name)]
public sealed class PermitCliTests(EPermitPlatformFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hcm-epermit-cli-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_permit_verifies_offline_with_the_published_JWKS_and_the_output_says_revocation_is_unknown()
    {
        var issued = await fixture.IssueAsync(7);
        var permitFile = await WriteAsync("permit.jws", issued.Jws);
        var keys = await PublishedKeysAsync();

        var (exit, stdout, _) = await RunAsync("verify", "permit", permitFile, "--public-key", keys);

        Assert.Equal(0, exit);
        Assert.Contains(issued.Number, stdout, StringComparison.Ordinal);
        Assert.Contains("Genuine:     có / yes", stdout, StringComparison.Ordinal);
        Assert.Contains("Unaltered: có / yes", stdout, StringComparison.Ordinal);
        Assert.Contains("cannot be known offline", stdout, StringComparison.Ordinal);
        Assert.Contains("VALID (offline check", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permit_with_site_conditions_verifies_offline_printing_its_start_by_date_and_that_the_construction_phase_is_unknown()
    {
        var request = new PermitToIssue(
            $"HS-{Guid.NewGuid():N}", fixture.Lots[5].Id, PermitTypes.NewConstruction, new PermitScope(4, 0, 15.8, 128), [],
            SiteConditions: SiteConditionRules.Decide(null, SiteConditionRules.Embedded(), PermitTypes.NewConstruction,
                new DateOnly(2026, 12, 3), 12).Conditions);
        var issued = await fixture.Permits.IssueAsync(request, Ct);
        var keys = await PublishedKeysAsync();

        var (exit, stdout, _) = await RunAsync("verify", "permit", await WriteAsync("v2.jws", issued.Jws), "--public-key", keys);

        Assert.Equal(0, exit);
        Assert.Contains("Khởi công trước / Start by: 03/12/2027", stdout, StringComparison.Ordinal);
        Assert.Contains("suspended, completed or expired for lack of commencement cannot be known offline", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_QR_code_URL_verifies_as_well_as_the_bare_JWS_and_a_PEM_public_key_as_well_as_a_JWKS()
    {
        var issued = await fixture.IssueAsync(7);
        var pem = await WriteAsync("platform.pem", fixture.Permits.PublicKeys.Keys[0].ExportPublicKeyPem());

        var (exit, stdout, _) = await RunAsync("verify", "permit", $"https://cap-phep.example.vn/permits/verify#{issued.Jws}", "--public-key", pem);

        Assert.Equal(0, exit);
        Assert.Contains(issued.Number, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Altered_forged_or_expired_permits_exit_1()
    {
        var issued = await fixture.IssueAsync(8);
        var keys = await PublishedKeysAsync();
        var altered = await WriteAsync("altered.jws", Jws.Tamper(issued.Jws, "\"floors\":4", "\"floors\":8"));
        var forged = await WriteAsync("forged.jws", Jws.ForgeWithKid(issued.Jws, PermitKey.Generate()));
        var afterExpiry = issued.ValidUntil.AddDays(1).ToString("O");

        var (alteredExit, alteredOut, _) = await RunAsync("verify", "permit", altered, "--public-key", keys);
        var (forgedExit, forgedOut, _) = await RunAsync("verify", "permit", forged, "--public-key", keys);
        var (expiredExit, expiredOut, _) = await RunAsync("verify", "permit", issued.Jws, "--public-key", keys, "--at", afterExpiry);

        Assert.Equal(1, alteredExit);
        Assert.Contains("Unaltered: KHÔNG / NO", alteredOut, StringComparison.Ordinal);
        Assert.Contains("NOT VALID", alteredOut, StringComparison.Ordinal);
        Assert.Equal(1, forgedExit);
        Assert.Contains("Genuine:     KHÔNG / NO", forgedOut, StringComparison.Ordinal);
        Assert.Equal(1, expiredExit);
        Assert.Contains("EXPIRED", expiredOut, StringComparison.Ordinal);
        Assert.Contains("Genuine:     có / yes", expiredOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_exits_2_with_one_line_on_stderr()
    {
        var issued = await fixture.IssueAsync(9);
        var keys = await PublishedKeysAsync();
        var notKeys = await WriteAsync("not-keys.txt", "hello");

        var notJws = await RunAsync("verify", "permit", "not-a-permit", "--public-key", keys);
        var missingKeys = await RunAsync("verify", "permit", issued.Jws, "--public-key", Path.Combine(_directory, "missing.json"));
        var badKeys = await RunAsync("verify", "permit", issued.Jws, "--public-key", notKeys);
        var badDate = await RunAsync("verify", "permit", issued.Jws, "--public-key", keys, "--at", "tomorrow");

        foreach (var (exit, _, stderr) in new[] { notJws, missingKeys, badKeys, badDate })
        {
            Assert.Equal(2, exit);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        Assert.StartsWith("Not an e-permit", notJws.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("Public key file not found", missingKeys.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generated_key_configured_as_the_signing_key_exports_a_JWKS_that_verifies_its_permits()
    {
        var keyFile = Path.Combine(_directory, "signing.pem");
        var jwksFile = Path.Combine(_directory, "keys.json");

        var generated = await RunAsync("keys", "generate", "--out", keyFile);
        var overwrite = await RunAsync("keys", "generate", "--out", keyFile);
        var pem = await File.ReadAllTextAsync(keyFile, Ct);
        var exported = await RunAsync(["keys", "export", "--out", jwksFile], new() { ["EPermits__SigningKeyPem"] = pem });
        var unset = await RunAsync(["keys", "export", "--out", jwksFile + ".2"], new() { ["EPermits__SigningKeyPem"] = "" });
        var bench = await PermitBench.CreateAsync(PermitKey.FromPem(pem));
        var permit = await WriteAsync("bench.jws", (await bench.IssueAsync()).Jws);
        var verified = await RunAsync("verify", "permit", permit, "--public-key", jwksFile);

        Assert.Equal(0, generated.Exit);
        Assert.Contains(bench.Key.KeyId, generated.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, overwrite.Exit);
        Assert.Equal(0, exported.Exit);
        var jwks = await File.ReadAllTextAsync(jwksFile, Ct);
        Assert.Equal(bench.Key.KeyId, PermitKeySet.Parse(jwks).Keys.Single().KeyId);
        Assert.DoesNotContain("PRIVATE", jwks, StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", jwks, StringComparison.Ordinal);
        Assert.Equal(2, unset.Exit);
        Assert.StartsWith("EPermits:SigningKeyPem is missing", unset.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, verified.Exit);
    }

    private async Task<string> PublishedKeysAsync()
    {
        using var response = await fixture.SendAsync(HttpMethod.Get, "/api/permits/keys");
        response.EnsureSuccessStatusCode();
        return await WriteAsync("platform-keys.json", await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, content, Ct);
        return path;
    }

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(args, []);

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, Dictionary<string, string> environment) =>
        SiloProcess.RunAsync(args, environment, _directory);
}
