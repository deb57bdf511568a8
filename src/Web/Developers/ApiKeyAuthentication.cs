using System.Security.Claims;
using System.Text.Encodings.Web;
using HcmCity.Web.Auth;
using Microsoft.AspNetCore.Authentication;
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
            return AuthenticateResult.Fail("Unknown API key.");
        }
        if (record.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("Revoked API key.");
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
