using HcmCity.Gis.Compliance;
using HcmCity.Gis.Crs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace HcmCity.Web.Problems;

/// <summary>
/// The one exception-to-status mapping of the API: bad input becomes 400 problem+json naming the field, or every
/// field when a site plan has several errors; an unreachable database becomes 503 with Retry-After
/// (<see cref="DatabaseUnavailable"/>).
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (DatabaseUnavailable.Caused(exception))
        {
            return await DatabaseUnavailable.WriteAsync(problems, httpContext, exception);
        }
        IReadOnlyList<(string Field, string Message)>? errors = exception switch
        {
            BadInputException bad => [(bad.Field, bad.Message)],
            UnknownCrsException crs => [("crs", crs.Message)],
            SitePlanValidationException plan when plan.Errors.Count > 0 => [.. plan.Errors.Select(e => (e.Field, e.Message))],
            BadHttpRequestException http when http.StatusCode == StatusCodes.Status400BadRequest => [("body", http.Message)],
            _ => null,
        };
        if (errors is null)
        {
            return false;
        }
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        var byField = errors
            .GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
        var details = new ValidationProblemDetails(byField)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Dữ liệu không hợp lệ / Invalid input",
            Detail = string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")),
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
