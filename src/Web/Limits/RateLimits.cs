using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using HcmCity.Web.Developers;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HcmCity.Web.Limits;

/// <summary>
/// Request budgets of clients without an API key (section "RateLimits"), per client address and window. A developer's
/// key has its own budget (<see cref="DeveloperKeysApi"/>); signed-in staff and citizens are not limited here.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>The largest budget a setting may give: enough for a load test from one address.</summary>
    public const int MaxRequests = 100_000_000;

    /// <summary>The fixed window each budget is counted over.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests per window and address to everything but tiles, for clients without a key (20 a second on average).</summary>
    public int AnonymousRequests { get; set; } = 1_200;

    /// <summary>
    /// Tile requests per window and address, for clients without a key. Larger: one map view loads a few dozen tiles
    /// and panning or zooming a few dozen more each time, and a tile is cheap (cached).
    /// </summary>
    public int AnonymousTileRequests { get; set; } = 12_000;
}

/// <summary>
/// Abuse limits of every request: one fixed window per API key, of the key's own size; one per client address for
/// requests without a key (tiles counted apart, with their larger budget). Over a budget the answer is 429
/// problem+json with Retry-After. Health probes are never limited, so that a flood cannot make an instance look dead.
/// </summary>
public static class RateLimits
{
    public static IHostApplicationBuilder AddHcmRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.Window >= TimeSpan.FromSeconds(1) && o.Window <= TimeSpan.FromHours(1),
                $"{RateLimitOptions.Section}:Window must be from 00:00:01 to 01:00:00.")
            .Validate(o => o.AnonymousRequests is >= 1 and <= RateLimitOptions.MaxRequests,
                $"{RateLimitOptions.Section}:AnonymousRequests must be 1..{RateLimitOptions.MaxRequests}.")
            .Validate(o => o.AnonymousTileRequests is >= 1 and <= RateLimitOptions.MaxRequests,
                $"{RateLimitOptions.Section}:AnonymousTileRequests must be 1..{RateLimitOptions.MaxRequests}.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var budgets = limits.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, budgets));
            limiter.OnRejected = (context, _) => RejectAsync(context.HttpContext, context.Lease, budgets);
        });
        return builder;
    }

    /// <summary>
    /// The client's address as limits count it: IPv6 by /64, since one subscriber is given a whole /64 and could
    /// otherwise take a new budget with each address.
    /// </summary>
    public static string ClientAddress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions budgets)
    {
        var user = context.User;
        if (user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is { } keyId)
        {
            var permits = int.TryParse(user.FindFirstValue(ApiKeyAuthenticationHandler.RateLimitClaim), CultureInfo.InvariantCulture, out var rpm)
                ? rpm
                : DeveloperKeysApi.DefaultRequestsPerMinute;
            return FixedWindow("key:" + keyId, permits, TimeSpan.FromMinutes(1));
        }
        if (user.Identity?.IsAuthenticated == true || context.Request.Path.StartsWithSegments("/health"))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }
        var address = ClientAddress(context);
        return IsTile(context)
            ? FixedWindow("tiles:" + address, budgets.AnonymousTileRequests, budgets.Window)
            : FixedWindow("address:" + address, budgets.AnonymousRequests, budgets.Window);
    }

    private static bool IsTile(HttpContext context) => context.Request.Path.StartsWithSegments("/tiles");

    private static RateLimitPartition<string> FixedWindow(string partition, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease, RateLimitOptions budgets)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : budgets.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        string detail;
        if (context.User.FindFirstValue(ApiKeyAuthenticationHandler.RateLimitClaim) is { } perMinute)
        {
            detail = $"Khóa API này cho phép {perMinute} yêu cầu mỗi phút; thử lại sau {seconds} giây / this API key allows {perMinute} requests a minute; retry in {seconds} s.";
        }
        else
        {
            var tile = IsTile(context);
            var budget = tile ? budgets.AnonymousTileRequests : budgets.AnonymousRequests;
            var window = (int)budgets.Window.TotalSeconds;
            detail = string.Create(CultureInfo.InvariantCulture,
                $"Không có khóa API, mỗi địa chỉ được {budget} yêu cầu {(tile ? "ô bản đồ " : "")}mỗi {window} giây; thử lại sau {seconds} giây / "
                + $"without an API key an address may make {budget} {(tile ? "tile " : "")}requests per {window} s; retry in {seconds} s or use an API key.");
        }
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                title: "Vượt hạn mức yêu cầu / Too many requests", detail: detail)
            .ExecuteAsync(context);
    }
}
