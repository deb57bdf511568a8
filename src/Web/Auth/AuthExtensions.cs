using System.Security.Claims;
using System.Security.Cryptography;
using HcmCity.Web.Developers;
using HcmCity.Web.Problems;
using HcmCity.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using HcmCity.Gis.Parcels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HcmCity.Web.Auth;

public static class AuthExtensions
{
    public const string LocalIssuer = "hcmcity-local";

    /// <summary>The default authentication scheme: forwards to the API key scheme or to JWT bearer.</summary>
    public const string BearerOrApiKey = "BearerOrApiKey";

    /// <summary>Browsers opening pages such as the Orleans dashboard carry the token in this cookie.</summary>
    public const string TokenCookie = "hcm_token";

    public static IHostApplicationBuilder AddHcmAuth(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuthOptions.Section);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        var embedded = PlatformConfiguration.Mode(builder.Configuration) == PlatformMode.Embedded;
        var demoSignIn = DemoSignInGate.IsOn(builder.Configuration);
        if (!embedded && string.IsNullOrWhiteSpace(options.Authority))
        {
            throw new ConfigurationException($"{AuthOptions.Section}:Authority is missing; production needs an OIDC provider.");
        }
        var key = new SymmetricSecurityKey(string.IsNullOrWhiteSpace(options.SigningKey)
            ? RandomNumberGenerator.GetBytes(32)
            : Convert.FromBase64String(options.SigningKey));
        builder.Services.AddSingleton(new LocalTokenIssuer(key, options.Audience));
        builder.Services.Configure<AuthOptions>(section);
        builder.Services.PostConfigure<AuthOptions>(o => o.DemoSignIn = demoSignIn);
        if (demoSignIn)
        {
            builder.Services.AddHostedService<DemoSignInWarning>();
        }

        builder.AddApiKeyStore();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = BearerOrApiKey;
                options.DefaultChallengeScheme = BearerOrApiKey;
            })
            // A request carrying X-Api-Key is a developer's; every other one is judged by its bearer token (or cookie).
            .AddPolicyScheme(BearerOrApiKey, "Bearer token or API key", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(Developers.ApiKeyAuthenticationHandler.Header)
                    ? Developers.ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, Developers.ApiKeyAuthenticationHandler>(
                Developers.ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.Audience = options.Audience;
            if (!string.IsNullOrWhiteSpace(options.Authority))
            {
                jwt.Authority = options.Authority;
            }
            else
            {
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = LocalIssuer,
                    ValidAudience = options.Audience,
                    IssuerSigningKey = key,
                    RoleClaimType = "role",
                    NameClaimType = "sub",
                };
            }
            jwt.TokenValidationParameters.RoleClaimType = "role";
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    // Browsers' WebSockets cannot carry headers: SignalR sends the token as access_token, hubs only.
                    if (string.IsNullOrEmpty(context.Token)
                        && context.Request.Path.StartsWithSegments("/hubs")
                        && context.Request.Query.TryGetValue("access_token", out var queryToken)
                        && !string.IsNullOrEmpty(queryToken))
                    {
                        context.Token = queryToken;
                    }
                    // The cookie serves browsers opening pages; an explicit Authorization header always wins.
                    if (string.IsNullOrEmpty(context.Token)
                        && string.IsNullOrEmpty(context.Request.Headers.Authorization)
                        && context.Request.Cookies.TryGetValue(TokenCookie, out var cookie))
                    {
                        context.Token = cookie;
                    }
                    return Task.CompletedTask;
                },
            };
        });
        var authorization = builder.Services.AddAuthorizationBuilder();
        foreach (var role in Roles.All)
        {
            authorization.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireRole(role));
        }
        return builder;
    }

    /// <summary>Embedded mode's local sign-in: a demo account per role (POST /api/auth/demo-token).</summary>
    public static IEndpointRouteBuilder MapDemoSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/demo-token", Results<Ok<TokenResponse>, NotFound> (
                DemoTokenRequest request, IOptions<AuthOptions> options, LocalTokenIssuer issuer, HttpContext http,
                [FromServices] WardBoundaries? wards) =>
            {
                if (options.Value.DemoSignIn != true)
                {
                    return TypedResults.NotFound();
                }
                if (request.Role is null || !Roles.All.Contains(request.Role))
                {
                    throw BadInputException.For("role", $"Expected one of: {string.Join(", ", Roles.All)}.");
                }
                // The demo inspector covers the demo city's wards, where the simulator's sites are.
                var area = request.Role == Roles.Inspector && wards is not null ? wards.All.Select(w => w.Code).ToList() : null;
                var token = issuer.Issue($"demo-{request.Role}", request.Role, request.Unit, area);
                http.Response.Cookies.Append(TokenCookie, token.AccessToken,
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                return TypedResults.Ok(token);
            })
            .WithName("DemoSignIn")
            .WithSummary("Đăng nhập thử / Demo sign-in (embedded mode only)")
            .WithTags("Auth");
        app.MapPost("/api/auth/sign-out", (HttpContext http) =>
            {
                http.Response.Cookies.Delete(TokenCookie, new CookieOptions { Path = "/" });
                return TypedResults.NoContent();
            })
            .AllowAnonymous()
            .WithName("SignOut")
            .WithSummary("Đăng xuất (xóa cookie) / Sign out (clears the sign-in cookie)")
            .WithTags("Auth");
        return app;
    }
}

public sealed record DemoTokenRequest(string? Role, string? Unit);

/// <summary>Says at start, as a warning, that anyone who reaches the platform can sign in with any role.</summary>
internal sealed class DemoSignInWarning(ILogger<DemoSignInWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "Demo sign-in is ON: POST /api/auth/demo-token gives any caller a token of any role, admin included. " +
            "It is meant for embedded mode on this machine only; set {Setting}=false to switch it off.", DemoSignInGate.Setting);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Role);

/// <summary>Signs the embedded mode's demo tokens with the local key.</summary>
public sealed class LocalTokenIssuer(SymmetricSecurityKey key, string audience)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <param name="area">An inspector's wards: one area claim each, a JSON array in the token.</param>
    public TokenResponse Issue(string subject, string role, string? unit = null, IReadOnlyCollection<string>? area = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("role", role) };
        if (!string.IsNullOrWhiteSpace(unit))
        {
            claims.Add(new Claim(UserScope.UnitClaim, unit));
        }
        claims.AddRange((area ?? []).Select(ward => new Claim(UserScope.AreaClaim, ward)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthExtensions.LocalIssuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.Add(Lifetime),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, "Bearer", (int)Lifetime.TotalSeconds, role);
    }
}
