using System.Globalization;
using System.Security.Claims;
using HcmCity.Web.Auth;
using HcmCity.Web.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HcmCity.Web.Developers;

/// <summary>
/// Developers manage their own API keys (signed in with the developer role): create one (the key is shown once,
/// only its hash is kept), list them, revoke one. Requests made with a key are limited per key and minute
/// (<see cref="Limits.RateLimits"/>); over the limit the answer is 429 with Retry-After.
/// </summary>
public static class DeveloperKeysApi
{
    public const int DefaultRequestsPerMinute = 600;

    public const int MaxRequestsPerMinute = 6000;

    public const int MaxKeysPerDeveloper = 20;

    public static IEndpointRouteBuilder MapDeveloperKeysApi(this IEndpointRouteBuilder app)
    {
        // Keys are managed with a sign-in (JWT), never with another key.
        var group = app.MapGroup("/api/developer/keys").WithTags("Developers")
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Developer));
        group.MapPost("", CreateAsync)
            .WithName("CreateApiKey").WithSummary("Tạo khóa API (hiện một lần) / Create an API key (shown once)");
        group.MapGet("", ListAsync)
            .WithName("ListApiKeys").WithSummary("Khóa API của tôi / My API keys (without the keys)");
        group.MapDelete("{id}", RevokeAsync)
            .WithName("RevokeApiKey").WithSummary("Thu hồi khóa API / Revoke an API key");
        return app;
    }

    private static async Task<Created<CreatedApiKey>> CreateAsync(
        CreateApiKeyRequest request, ClaimsPrincipal user, IApiKeyStore keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            throw BadInputException.For("name", "Tên khóa 1..100 ký tự / a key name of 1..100 characters is required.");
        }
        var rpm = request.RequestsPerMinute ?? DefaultRequestsPerMinute;
        if (rpm is < 1 or > MaxRequestsPerMinute)
        {
            throw BadInputException.For("requestsPerMinute", $"1..{MaxRequestsPerMinute}.");
        }
        var owner = Owner(user);
        if ((await keys.ListAsync(owner, cancellationToken)).Count(k => k.RevokedAt is null) >= MaxKeysPerDeveloper)
        {
            throw BadInputException.For("name", $"At most {MaxKeysPerDeveloper} active keys per developer: revoke one first.");
        }
        var (key, prefix) = ApiKeyFormat.New();
        var record = new ApiKeyRecord(Guid.NewGuid(), prefix, ApiKeyFormat.Hash(key), owner, name, rpm, time.GetUtcNow(), null);
        await keys.AddAsync(record, cancellationToken);
        return TypedResults.Created($"/api/developer/keys/{record.Id}",
            new CreatedApiKey(record.Id, name, key, prefix, rpm, record.CreatedAt));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeySummary>>> ListAsync(ClaimsPrincipal user, IApiKeyStore keys, CancellationToken cancellationToken)
    {
        var mine = await keys.ListAsync(Owner(user), cancellationToken);
        IReadOnlyList<ApiKeySummary> summaries = [.. mine.Select(k => new ApiKeySummary(k.Id, k.Name, k.Prefix, k.RequestsPerMinute, k.CreatedAt, k.RevokedAt))];
        return TypedResults.Ok(summaries);
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(
        string id, ClaimsPrincipal user, IApiKeyStore keys, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var keyId))
        {
            throw BadInputException.For("id", "Mã khóa là UUID / the key id is a UUID.");
        }
        return await keys.RevokeAsync(keyId, Owner(user), time.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
    }

    private static string Owner(ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? throw new InvalidOperationException("An authenticated user has a subject.");
}

public sealed record CreateApiKeyRequest(string? Name, int? RequestsPerMinute);

/// <param name="Key">Shown once: the platform keeps only its hash. Send it as the X-Api-Key header.</param>
public sealed record CreatedApiKey(Guid Id, string Name, string Key, string Prefix, int RequestsPerMinute, DateTimeOffset CreatedAt);

public sealed record ApiKeySummary(Guid Id, string Name, string Prefix, int RequestsPerMinute, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
