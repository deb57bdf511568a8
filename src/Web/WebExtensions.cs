using HcmCity.Web.Auth;
using HcmCity.Web.Developers;
using HcmCity.Web.Limits;
using HcmCity.Web.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HcmCity.Web;

public static class WebExtensions
{
    /// <summary>Body size limit for every endpoint; site plans and queries are small.</summary>
    public const long MaxRequestBodyBytes = 2 * 1024 * 1024;

    /// <summary>
    /// The HTTP conventions of every endpoint: problem+json for bad input (one exception-to-status mapping), the
    /// body limit, sign-in (OIDC bearer, developer API keys, embedded demo tokens) and the rate limits (per API key, per
    /// client address without one; <see cref="RateLimits"/>).
    /// </summary>
    public static IHostApplicationBuilder AddHcmWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestBodyLimits.NameTheBody);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddExceptionHandler<BodyProblemExceptionHandler>();
        // Body binding failures (malformed JSON, wrong media type, too large) are thrown, so that the exception
        // handlers answer them as problem+json naming "body" rather than as an empty 4xx.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.AddHcmAuth();
        builder.AddHcmRateLimits();
        return builder;
    }

    /// <summary>The middleware of <see cref="AddHcmWeb"/>, in order, and the demo sign-in and developer key endpoints.</summary>
    public static WebApplication UseHcmWeb(this WebApplication app)
    {
        app.UseRequestBodyLimit();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        // After authentication (a key has its own budget, requests without one are counted by address) and before
        // anything else: an anonymous flood, with or without a bad key, is refused at the cheapest point.
        app.UseRateLimiter();
        app.UseApiKeyRejection();
        app.UseAuthorization();
        app.MapDemoSignIn();
        DeveloperKeysApi.MapDeveloperKeysApi(app);
        return app;
    }
}
