using System.IO.Pipelines;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace HcmCity.Web.GeoJson;

/// <summary>
/// A JSON body written with <see cref="Utf8JsonWriter"/> straight into the response pipe: no DTO graph and no
/// intermediate buffer of the whole document, so a page of a thousand parcels costs one pass over the parcels.
/// </summary>
public sealed class GeoJsonResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    /// <summary>RFC 7946 §12.</summary>
    public const string GeoJsonMediaType = "application/geo+json";

    public const string JsonMediaType = "application/json";

    /// <summary>Vietnamese names are written as UTF-8 text, not \u escapes: the body is JSON, never embedded in HTML.</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Func<GeoJsonStream, ValueTask> _write;

    private GeoJsonResult(string contentType, Func<GeoJsonStream, ValueTask> write, string? contentCrs)
    {
        ContentType = contentType;
        _write = write;
        ContentCrs = contentCrs;
    }

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType { get; }

    /// <summary>OGC API - Features Part 2: the CRS of the coordinates in the body, sent as <c>Content-Crs</c>.</summary>
    public string? ContentCrs { get; }

    /// <summary>An <c>application/geo+json</c> body; <paramref name="contentCrs"/> is the OGC URI of its CRS, if one was asked for.</summary>
    public static GeoJsonResult GeoJson(Func<GeoJsonStream, ValueTask> write, string? contentCrs = null) =>
        new(GeoJsonMediaType, write, contentCrs);

    /// <summary>An <c>application/json</c> body (OGC landing page, conformance, collections, map config).</summary>
    public static GeoJsonResult Json(Func<GeoJsonStream, ValueTask> write) => new(JsonMediaType, write, null);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        if (ContentCrs is not null)
        {
            response.Headers["Content-Crs"] = $"<{ContentCrs}>";
        }

        await using var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions);
        var stream = new GeoJsonStream(writer, response.BodyWriter, httpContext.RequestAborted);
        await _write(stream);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(JsonDocument), [GeoJsonMediaType, JsonMediaType]));
    }
}

/// <summary>The writer a <see cref="GeoJsonResult"/> hands to its body callback.</summary>
public sealed class GeoJsonStream(Utf8JsonWriter writer, PipeWriter pipe, CancellationToken cancellationToken)
{
    /// <summary>Bytes written before the pipe is flushed to the client, so large pages stream.</summary>
    private const int FlushThreshold = 32 * 1024;

    public Utf8JsonWriter Writer { get; } = writer;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Sends what is written so far once enough has piled up; call between features.</summary>
    public async ValueTask FlushIfFullAsync()
    {
        if (Writer.BytesPending >= FlushThreshold)
        {
            Writer.Flush();
            await pipe.FlushAsync(CancellationToken);
        }
    }
}
