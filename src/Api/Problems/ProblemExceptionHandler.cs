using HcmCity.Gis.Crs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace HcmCity.Api.Problems;

/// <summary>The one exception-to-status mapping of the API: bad input becomes 400 problem+json naming the field.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (string Field, string Message)? error = exception switch
        {
            BadInputException bad => (bad.Field, bad.Message),
            UnknownCrsException crs => ("crs", crs.Message),
            BadHttpRequestException http when http.StatusCode == StatusCodes.Status400BadRequest => ("body", http.Message),
            _ => null,
        };
        if (error is not { } e)
        {
            return false;
        }
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        var details = new ValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Dữ liệu không hợp lệ / Invalid input",
            Detail = $"{e.Field}: {e.Message}",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
