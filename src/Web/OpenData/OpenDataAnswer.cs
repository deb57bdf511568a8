using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HcmCity.Web.Problems;
using Microsoft.Net.Http.Headers;

namespace HcmCity.Web.OpenData;

/// <summary>
/// The shape every open-data endpoint (công khai) answers in: <c>{"asOf", "rows": [...]}</c> as JSON, or the same
/// rows as CSV (<c>?format=csv</c>), anonymous and cacheable. The ETag is weak and covers the rows and what they
/// depend on besides the records (<c>etagSeed</c>, e.g. today's date for "overdue now"), not <c>asOf</c>: two
/// answers with the same rows are the same figures, whenever they were computed.
/// </summary>
public static class OpenDataAnswer
{
    /// <summary>Long enough to spare the database a burst of identical requests, short enough to stay "live".</summary>
    public const int MaxAgeSeconds = 60;

    public const string CsvMediaType = "text/csv";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>True for CSV, false for JSON (the default); anything else is a 400 naming <c>format</c>.</summary>
    public static bool IsCsv(string? format) => format switch
    {
        null or "" or "json" => false,
        "csv" => true,
        _ => throw BadInputException.For("format", "Chỉ nhận json hoặc csv / Expected json or csv."),
    };

    /// <summary>A date yyyy-MM-dd, or null when absent; anything else is a 400 naming the field.</summary>
    public static DateOnly? Date(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw BadInputException.For(field, "Ngày theo dạng yyyy-MM-dd / Expected a date as yyyy-MM-dd.");

    /// <summary>A month yyyy-MM as its first day, or null when absent; anything else is a 400 naming the field.</summary>
    public static DateOnly? Month(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && text.Length == 7 ? date
        : throw BadInputException.For(field, "Tháng theo dạng yyyy-MM / Expected a month as yyyy-MM.");

    /// <summary>
    /// Writes the answer, or 304 when the client's copy (If-None-Match) has the same rows.
    /// <paramref name="csvColumns"/> names the columns in the JSON rows' order; <paramref name="csvFields"/> gives a row's values.
    /// </summary>
    public static IResult Write<TRow>(HttpContext http, bool csv, DateTimeOffset asOf, IReadOnlyList<TRow> rows,
        string etagSeed, IReadOnlyList<string> csvColumns, Func<TRow, IEnumerable<object?>> csvFields)
    {
        var rowsJson = JsonSerializer.SerializeToUtf8Bytes(rows, Json);
        var hash = SHA256.HashData([.. rowsJson, .. Encoding.UTF8.GetBytes("|" + etagSeed + "|" + (csv ? "csv" : "json"))]);
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"", isWeak: true);
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromSeconds(MaxAgeSeconds) };
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        if (!csv)
        {
            return Results.Json(new OpenDataBody<TRow>(asOf, rows), Json);
        }
        var text = new StringBuilder();
        text.AppendJoin(',', csvColumns.Select(Field)).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', csvFields(row).Select(Field)).Append("\r\n");
        }
        return Results.Text(text.ToString(), $"{CsvMediaType}; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; numbers in invariant culture.</summary>
    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}

/// <summary>The JSON body of an open-data answer.</summary>
public sealed record OpenDataBody<TRow>(DateTimeOffset AsOf, IReadOnlyList<TRow> Rows);
