using System.Net;
using System.Net.Http.Json;
using HcmCity.Testing;
using HcmCity.ServiceDefaults;
using HcmCity.Web.Auth;
using Microsoft.Extensions.Configuration;

namespace HcmCity.EndToEnd.Tests.Security;

/// <summary>
/// The demo sign-in gives an anonymous caller a token of any role, admin included. It is on by itself only where it
/// is safe (embedded mode, in-memory stores, loopback listeners); an embedded platform on a real PostgreSQL or
/// reachable from the network gives no token unless the operator sets Auth:DemoSignIn=true, and when it is on the
/// platform says so with a warning at start.
/// </summary>
public sealed class DemoSignInSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> AskForAdminAsync(Uri baseAddress)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = baseAddress };
        return await http.PostAsJsonAsync("/api/auth/demo-token", new { role = "admin" }, Ct);
    }

    [Fact]
    public async Task An_embedded_platform_on_a_real_database_gives_no_admin_token_to_an_anonymous_request()
    {
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        await using var platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["LandRecords:SeedParcels"] = "0",
        });

        using var response = await AskForAdminAsync(platform.BaseAddress);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("accessToken", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_embedded_platform_listening_on_every_interface_gives_no_admin_token()
    {
        await using var platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
        {
            ["urls"] = "http://0.0.0.0:0",
            ["LandRecords:SeedParcels"] = "0",
        });

        using var response = await AskForAdminAsync(platform.BaseAddress);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_operator_may_enable_it_explicitly_on_a_real_database()
    {
        await using var database = await PostgresDatabase.CreateAsync(Ct);
        await using var platform = await PlatformInstance.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["LandRecords:SeedParcels"] = "0",
            ["Auth:DemoSignIn"] = "true",
        });

        using var response = await AskForAdminAsync(platform.BaseAddress);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_laptop_default_signs_in_and_warns_at_start_that_it_is_on()
    {
        await using var platform = await PlatformProcess.StartAsync(new Dictionary<string, string?>(), Ct);

        using var response = await AskForAdminAsync(platform.BaseAddress);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Demo sign-in is ON", platform.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_means_no_warning()
    {
        await using var platform = await PlatformProcess.StartAsync(new Dictionary<string, string?> { ["Auth:DemoSignIn"] = "false" }, Ct);

        using var response = await AskForAdminAsync(platform.BaseAddress);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Demo sign-in is ON", platform.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:5080", true)]
    [InlineData(null, null, "http://localhost:5080;http://[::1]:5080", true)]
    [InlineData(null, null, null, true)]
    [InlineData(null, "Host=db;Database=hcmcity", "http://127.0.0.1:5080", false)]
    [InlineData(null, null, "http://0.0.0.0:5080", false)]
    [InlineData(null, null, "http://*:5080", false)]
    [InlineData(null, null, "http://+:5080", false)]
    [InlineData(null, null, "http://127.0.0.1:5080;http://10.1.2.3:5080", false)]
    [InlineData(null, null, "http://city.example:5080", false)]
    [InlineData("true", "Host=db;Database=hcmcity", "http://0.0.0.0:5080", true)]
    [InlineData("false", null, "http://127.0.0.1:5080", false)]
    public void The_gate_opens_by_itself_only_in_memory_on_loopback(string? setting, string? postgres, string? urls, bool on)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DemoSignInGate.Setting] = setting,
            [PlatformConfiguration.PostgresKey] = postgres,
            ["urls"] = urls,
        }).Build();

        Assert.Equal(on, DemoSignInGate.IsOn(configuration));
    }

    [Fact]
    public void Ports_on_every_interface_or_a_kestrel_endpoint_beyond_loopback_keep_it_off()
    {
        static IConfiguration With(string key, string value) =>
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:5080", [key] = value }).Build();

        Assert.False(DemoSignInGate.IsOn(With("http_ports", "8080")));
        Assert.False(DemoSignInGate.IsOn(With("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:8080")));
        Assert.True(DemoSignInGate.IsOn(With("Kestrel:Endpoints:Local:Url", "http://127.0.0.1:8080")));
    }

    [Fact]
    public void Production_mode_refuses_it_even_when_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PlatformConfiguration.ModeKey] = "Production",
            [DemoSignInGate.Setting] = "true",
        }).Build();

        var error = Assert.Throws<ConfigurationException>(() => DemoSignInGate.IsOn(configuration));
        Assert.Contains(DemoSignInGate.Setting, error.Message, StringComparison.Ordinal);
    }
}
