using Npgsql;

namespace HcmCity.Web.Problems;

/// <summary>
/// PostgreSQL cannot be reached (down, restarting, connections refused or cut): the request may succeed later, so the
/// API answers 503 problem+json with Retry-After instead of 500. Npgsql marks such failures transient; they may come
/// wrapped (an aggregate of parallel queries, an exception of a grain that queried the database).
/// </summary>
public static class DatabaseUnavailable
{
    /// <summary>The Retry-After a client is given, in seconds: about how long a database restart or fail-over takes.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Type name Orleans reports for an Npgsql connection failure it could not rebuild in another process.</summary>
    private const string NpgsqlExceptionTypeName = "Npgsql.NpgsqlException";

    /// <summary>Whether <paramref name="exception"/> or any exception inside it is a transient PostgreSQL failure.</summary>
    public static bool Caused(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        for (var depth = 0; pending.TryPop(out var current) && depth < 32; depth++)
        {
            switch (current)
            {
                case NpgsqlException { IsTransient: true }:
                case Orleans.Serialization.UnavailableExceptionFallbackException fallback when fallback.ExceptionType == NpgsqlExceptionTypeName:
                    return true;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        pending.Push(inner);
                    }
                    break;
                default:
                    if (current.InnerException is { } wrapped)
                    {
                        pending.Push(wrapped);
                    }
                    break;
            }
        }
        return false;
    }

    /// <summary>Writes 503 problem+json with Retry-After.</summary>
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext httpContext, Exception exception)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Dịch vụ tạm thời gián đoạn / Service temporarily unavailable",
            Detail = $"The database cannot be reached; retry in {RetryAfterSeconds} seconds.",
        };
        return problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
