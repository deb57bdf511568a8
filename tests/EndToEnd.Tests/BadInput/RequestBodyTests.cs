using HcmCity.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HcmCity.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.EndToEnd.Tests.BadInput;

/// <summary>
/// Request bodies: 10 MB to every endpoint that takes one is refused with 413 problem+json naming "body" (declared
/// or chunked), and malformed JSON, another media type or no body at all get a 4xx problem naming "body"; the
/// platform answers /health/ready afterwards.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class RequestBodyTests(BadInputPlatformFixture fixture)
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A client that sends <c>Expect: 100-continue</c> and waits for the server's answer before uploading (no
    /// time-out in between): a server that refuses the declared length is never sent the body.
    /// </summary>
    private HttpClient ExpectContinueClient() => new(new SocketsHttpHandler { UseCookies = false, Expect100ContinueTimeout = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = fixture.Platform.BaseAddress,
        DefaultRequestHeaders = { ExpectContinue = true },
    };

    /// <summary>Every POST, PUT, PATCH and DELETE route of the platform, with its route values filled in.</summary>
    private IReadOnlyList<(string Method, string Path)> BodyEndpoints()
    {
        var endpoints = fixture.Platform.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>();
        var found = new List<(string, string)>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            foreach (var method in methods.Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE"))
            {
                var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(segment =>
                    string.Concat(segment.Parts.Select(part => part switch
                    {
                        Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                        Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                        _ => "x1",
                    }))));
                found.Add((method, path));
            }
        }
        return [.. found.Distinct()];
    }

    [Fact]
    public async Task A_declared_10_MB_body_to_every_endpoint_that_takes_a_body_is_refused_with_413_before_it_is_sent()
    {
        var endpoints = BodyEndpoints();
        Assert.Contains(("POST", "/api/site-plans/check"), endpoints);
        Assert.Contains(("POST", "/api/permits/applications"), endpoints);
        Assert.Contains(("POST", "/api/sites"), endpoints);
        using var http = ExpectContinueClient();
        foreach (var (method, path) in endpoints)
        {
            foreach (var role in new[] { "officer", "citizen", null })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(new byte[TenMegabytes]) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (role is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Token(role));
                }
                using var response = await http.SendAsync(request, Ct);
                var json = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body", $"{method} {path} as {role ?? "anonymous"}");
                Assert.Contains(WebExtensions.MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
            }
        }
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("/api/site-plans/check", null)]
    [InlineData("/api/permits/applications", "citizen")]
    [InlineData("/api/sites", "officer")]
    [InlineData("/api/auth/demo-token", null)]
    public async Task A_chunked_body_over_the_limit_without_a_length_is_refused_with_413_problem_json(string path, string? role)
    {
        // Valid JSON that goes on past the limit: only its size is wrong. The server stops reading at the limit.
        var size = (int)WebExtensions.MaxRequestBodyBytes + (256 * 1024);
        var body = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('a', size) + "\"}");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new MemoryStream(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Token(role));
        }
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = fixture.Platform.BaseAddress };
        using var response = await http.SendAsync(request, Ct);
        Assert.Null(request.Content.Headers.ContentLength);
        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body", $"chunked POST {path}");
        await fixture.AssertHealthyAsync();
    }

    public static TheoryData<string, string?> JsonEndpoints => new()
    {
        { "/api/site-plans/check", null },
        { "/api/permits/applications", "citizen" },
        { "/api/permits/applications/HS-2026-000001/transitions", "officer" },
        { "/api/sites", "officer" },
        { "/api/sites/site-x/sensors", "officer" },
        { "/api/auth/demo-token", null },
        { "/api/permits/verify", null },
        { "/api/developer/keys", "developer" },
    };

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task Malformed_json_is_400_problem_json_naming_body(string path, string? role)
    {
        foreach (var text in new[] { "{", "{\"a\":}", "[1,2", "{\"parcelId\":NaN}", "\u0000", "{\"a\":1}}", "tru", "{'a':1}" })
        {
            using var response = await fixture.SendTextAsync(HttpMethod.Post, path, role, text);
            await Problem.BadInputAsync(response, "body", $"POST {path} with {text}");
        }
    }

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task A_body_of_another_media_type_is_415_problem_json_naming_body(string path, string? role)
    {
        foreach (var mediaType in new[] { "text/plain", "application/x-www-form-urlencoded", "application/xml" })
        {
            using var response = await fixture.SendTextAsync(HttpMethod.Post, path, role, "{\"role\":\"citizen\"}", mediaType);
            await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "body", $"POST {path} as {mediaType}");
        }
    }

    [Theory]
    [InlineData("/api/site-plans/check", null)]
    [InlineData("/api/permits/applications", "citizen")]
    [InlineData("/api/sites", "officer")]
    [InlineData("/api/auth/demo-token", null)]
    public async Task An_empty_json_body_is_400_problem_json_naming_body(string path, string? role)
    {
        using var response = await fixture.SendTextAsync(HttpMethod.Post, path, role, "");
        await Problem.BadInputAsync(response, "body", $"empty POST {path}");
    }

    [Fact]
    public async Task A_request_line_over_kestrels_limit_is_refused_and_the_platform_stays_ready()
    {
        using var response = await fixture.Http.GetAsync("/api/parcels?unit=" + new string('a', 64 * 1024), Ct);
        Assert.True(response.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge or HttpStatusCode.BadRequest,
            $"got {(int)response.StatusCode}");
        await fixture.AssertHealthyAsync();
    }
}
