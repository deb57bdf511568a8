using System.Security.Claims;
using System.Text.Encodings.Web;
using HcmCity.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HcmCity.Web.Developers;

/// <summary>
/// Third-party developers call the API with <c>X-Api-Key: hcm_…</c>. A valid, unrevoked key signs the request in
/// as its owner with the developer role and a <c>key_id</c> claim, by which requests are rate limited.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string Header = "X-Api-Key";

    public const string KeyIdClaim = "key_id";

    public const string RateLimitClaim = "key_rpm";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values))
        {
            return AuthenticateResult.NoResult();
        }
        var key = values.ToString();
        if (ApiKeyFormat.PrefixOf(key) is not { } prefix
            || await keys.FindByPrefixAsync(prefix, Context.RequestAborted) is not { } record
            || !ApiKeyFormat.Matches(key, record))
        {
            return AuthenticateResult.Fail("Khóa API không tồn tại / unknown API key.");
        }
        if (record.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("Khóa API đã bị thu hồi / this API key was revoked.");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim("sub", record.OwnerSubject),
            new Claim("role", Roles.Developer),
            new Claim(KeyIdClaim, record.Id.ToString()),
            new Claim(RateLimitClaim, record.RequestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], SchemeName, "sub", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>
/// A request carrying <c>X-Api-Key</c> that did not sign in (an unknown, malformed or revoked key) is answered 401
/// problem+json naming the header, on every endpoint: otherwise the open endpoints served it as anonymous, so a
/// developer was never told the key was bad, and a revoked key went on being used without its limit.
/// </summary>
public static class ApiKeyRejection
{
    public static IApplicationBuilder UseApiKeyRejection(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) || context.User.Identity?.IsAuthenticated == true)
            {
                await next(context);
                return;
            }
            // The handler's result of this request, already computed by the authentication middleware.
            var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
            var message = result.Failure?.Message ?? "Khóa API không hợp lệ / invalid API key.";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = ApiKeyAuthenticationHandler.SchemeName;
            var details = new ValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [ApiKeyAuthenticationHandler.Header] = [message],
            })
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Khóa API không hợp lệ / Invalid API key",
                Detail = $"{ApiKeyAuthenticationHandler.Header}: {message}",
            };
            await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details });
        });
}
