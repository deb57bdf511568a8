using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HcmCity.Web.Auth;
using HcmCity.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.EndToEnd.Tests.Security;

/// <summary>
/// Every HTTP endpoint the platform maps, read from its own routing table, against every role: anonymous callers
/// get 401 wherever a sign-in is required, signed-in callers without an allowed role get 403, and an endpoint open
/// to everyone must be on the reviewed list below, so a new endpoint cannot ship open by accident.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    /// <summary>Open by design: public land data (no personal data), public verification, citizens' tracking, the published
    /// permitting and site figures (counts only), sign-in, operations.</summary>
    private static readonly HashSet<string> Public = new(StringComparer.Ordinal)
    {
        "GET /api/parcels", "GET /api/parcels/at", "GET /api/parcels/{id}",
        "GET /ogc", "GET /ogc/conformance", "GET /ogc/collections", "GET /ogc/collections/{collectionId}",
        "GET /ogc/collections/{collectionId}/items", "GET /ogc/collections/{collectionId}/items/{featureId}",
        "GET /tiles/parcels/{z}/{x}/{y}.mvt",
        "GET /api/map/config", "GET /api/wards",
        "POST /api/site-plans/check",
        "GET /api/track/{number}",
        "GET /api/public/processing", "GET /api/public/sites",
        // The audit chain's signed checkpoints, for outside copies: hashes and a public key, no entry.
        "GET /api/audit/checkpoint", "GET /api/audit/checkpoint/key",
        "GET /api/permits/keys", "GET /api/permits/revocations", "POST /api/permits/verify", "GET /api/permits/{no}",
        "GET /api/permits/{no}/verify", "GET /permits/verify", "GET /permits/{no}",
        "POST /api/auth/demo-token", "POST /api/auth/sign-out",
        "GET /health/live", "GET /health/ready", "GET /metrics",
        "GET /openapi/{documentName}.json", "GET /api/docs/{documentName?}",
        "GET /api/docs/scalar.js", "GET /api/docs/scalar.aspnetcore.js", "GET /api/docs/favicon.svg",
    };

    private PlatformInstance _platform = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _platform = await PlatformInstance.StartAsync(
        new Dictionary<string, string?> { ["LandRecords:SeedParcels"] = "50" });

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    private sealed record Route(string Method, string Pattern, AuthorizationPolicy? Policy)
    {
        public string Key => $"{Method} {Pattern}";

        /// <summary>Roles the policy admits; null when any signed-in user is admitted.</summary>
        public IReadOnlySet<string>? Roles => Policy?.Requirements.OfType<RolesAuthorizationRequirement>()
            .Select(r => (IReadOnlySet<string>)r.AllowedRoles.ToHashSet(StringComparer.Ordinal)).FirstOrDefault();

        /// <summary>The pattern with every parameter filled in (an id that exists nowhere is fine: authorization runs first).</summary>
        public string Url => System.Text.RegularExpressions.Regex.Replace(Pattern, @"\{(\w+)[^}]*\}", m => m.Groups[1].Value switch
        {
            "z" => "14",
            "x" or "y" or "id" => "1",
            _ => "x",
        });
    }

    private async Task<IReadOnlyList<Route>> RoutesAsync()
    {
        var provider = _platform.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var routes = new List<Route>();
        foreach (var endpoint in _platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            // A group's own route ("/ogc" + "") may carry a trailing slash: the same address.
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (pattern.StartsWith("/hubs/", StringComparison.Ordinal) || pattern.StartsWith("/dashboard", StringComparison.Ordinal))
            {
                continue; // hub and dashboard: tested below by their own protocol
            }
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var policy = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                ? null
                : await AuthorizationPolicy.CombineAsync(provider, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
                    endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
            routes.AddRange(methods.Where(m => m != "HEAD" && m != "OPTIONS").Select(m => new Route(m, pattern, policy)));
        }
        return routes;
    }

    private async Task<HttpStatusCode> StatusAsync(Route route, string? token)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _platform.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url);
        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private Task<string> TokenAsync(string role) => _platform.Http.DemoTokenAsync(role, "00001");

    [Fact]
    public async Task Every_open_endpoint_is_on_the_reviewed_public_list_and_every_other_one_needs_a_sign_in()
    {
        var routes = await RoutesAsync();

        Assert.True(routes.Count > 40, $"Only {routes.Count} routes found: is the routing table read correctly?");
        var open = routes.Where(r => r.Policy is null).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(open.Except(Public));
        Assert.Empty(Public.Except(open)); // the list names no endpoint that no longer exists or is now protected
        var failures = new List<string>();
        foreach (var route in routes.Where(r => r.Policy is not null))
        {
            if (await StatusAsync(route, token: null) is not HttpStatusCode.Unauthorized and var status)
            {
                failures.Add($"{route.Key} anonymous → {(int)status}");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_signed_in_user_without_an_allowed_role_is_refused_with_403_everywhere()
    {
        var routes = await RoutesAsync();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in Roles.All)
        {
            tokens[role] = await TokenAsync(role);
        }

        var checkedPairs = 0;
        var failures = new List<string>();
        foreach (var route in routes.Where(r => r.Roles is not null))
        {
            foreach (var role in Roles.All.Where(role => !route.Roles!.Contains(role)))
            {
                checkedPairs++;
                if (await StatusAsync(route, tokens[role]) is not HttpStatusCode.Forbidden and var status)
                {
                    failures.Add($"{route.Key} as {role} → {(int)status}");
                }
            }
            foreach (var role in route.Roles!)
            {
                var status = await StatusAsync(route, tokens[role]);
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    // An allowed role may still be refused by the endpoint's own rule (another unit's dossier), but
                    // never by the role gate: those answer problem+json from the endpoint, checked in its own tests.
                    if (route.Key.Contains("applications", StringComparison.Ordinal) && status == HttpStatusCode.Forbidden)
                    {
                        continue;
                    }
                    failures.Add($"{route.Key} as allowed role {role} → {(int)status}");
                }
            }
        }

        Assert.True(checkedPairs > 20, $"Only {checkedPairs} denied pairs checked.");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_orleans_dashboard_is_for_admins_and_the_live_hub_for_inspectors()
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = _platform.BaseAddress };
        async Task<HttpStatusCode> GetAsync(string path, string? role, HttpMethod? method = null)
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
            if (role is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role));
            }
            using var response = await http.SendAsync(request, Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/dashboard/", null));
        foreach (var role in Roles.All.Where(r => r != Roles.Admin))
        {
            Assert.Equal(HttpStatusCode.Forbidden, await GetAsync("/dashboard/", role));
        }
        Assert.Equal(HttpStatusCode.OK, await GetAsync("/dashboard/", Roles.Admin));
        var negotiate = HttpMethod.Post;
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/hubs/map/negotiate?negotiateVersion=1", null, negotiate));
        foreach (var role in Roles.All.Where(r => r != Roles.Inspector))
        {
            Assert.Equal(HttpStatusCode.Forbidden, await GetAsync("/hubs/map/negotiate?negotiateVersion=1", role, negotiate));
        }
        Assert.Equal(HttpStatusCode.OK, await GetAsync("/hubs/map/negotiate?negotiateVersion=1", Roles.Inspector, negotiate));
    }
}
