using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace HcmCity.Web.Problems;

/// <summary>
/// Request body limits of every endpoint, as problem+json naming <c>body</c>: a declared Content-Length above
/// <see cref="WebExtensions.MaxRequestBodyBytes"/> is refused with 413 before authentication, routing or any read
/// (so a client sending <c>Expect: 100-continue</c> never uploads it), and a body found too large, of the wrong media
/// type or otherwise refused by Kestrel or the framework while it is read (chunked bodies without a length) becomes
/// problem+json with the status the server chose, instead of an empty response or a 500.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>Refuses declared bodies over the limit at once; see <see cref="RequestBodyLimits"/>.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > WebExtensions.MaxRequestBodyBytes)
            {
                await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge(context.Request.ContentLength.Value), exception: null);
                return;
            }
            await next(context);
        });

    /// <summary>The message of a body over the limit (of <paramref name="length"/> bytes, when declared).</summary>
    public static string TooLarge(long? length) => string.Create(CultureInfo.InvariantCulture,
        $"Nội dung quá lớn, tối đa {WebExtensions.MaxRequestBodyBytes} byte / the request body{(length is { } n ? $" of {n} bytes" : "")} is larger than the limit of {WebExtensions.MaxRequestBodyBytes} bytes.");

    /// <summary>
    /// Names <c>body</c> in the problems the framework writes by itself for a body it refused (413 while binding a
    /// chunked body, 415 from routing for another media type), like every other bad input; see <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>.
    /// </summary>
    public static void NameTheBody(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var details = context.ProblemDetails;
        if (details.Status is not (StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType)
            || details is HttpValidationProblemDetails || details.Extensions.ContainsKey("errors"))
        {
            return;
        }
        var message = details.Status == StatusCodes.Status413PayloadTooLarge
            ? TooLarge(context.HttpContext.Request.ContentLength)
            : $"Cần Content-Type: application/json / expected an application/json body, not '{context.HttpContext.Request.ContentType}'.";
        details.Extensions["errors"] = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["body"] = [message] };
        details.Detail ??= $"body: {message}";
    }

    internal static async ValueTask<bool> WriteAsync(HttpContext context, int status, string message, Exception? exception)
    {
        context.Response.StatusCode = status;
        // The rest of an oversized body is not read: the connection cannot be reused.
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.Headers.Connection = "close";
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var details = new ValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["body"] = [message] })
        {
            Status = status,
            Title = status switch
            {
                StatusCodes.Status413PayloadTooLarge => "Nội dung quá lớn / Request body too large",
                StatusCodes.Status415UnsupportedMediaType => "Kiểu nội dung không hỗ trợ / Unsupported media type",
                _ => "Yêu cầu không hợp lệ / Bad request",
            },
            Detail = $"body: {message}",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }
}

/// <summary>
/// Maps <see cref="BadHttpRequestException"/>s other than 400 (which <see cref="ProblemExceptionHandler"/> maps):
/// 413 for a body over the limit found while reading it, 415 for a JSON body of another media type, and any other
/// 4xx status Kestrel chose, each as problem+json naming <c>body</c>. Without it they would surface as 500.
/// </summary>
public sealed class BodyProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException { StatusCode: >= 400 and < 500 and not StatusCodes.Status400BadRequest } bad)
        {
            return false;
        }
        var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? RequestBodyLimits.TooLarge(null) : bad.Message;
        return await RequestBodyLimits.WriteAsync(httpContext, bad.StatusCode, message, exception);
    }
}
