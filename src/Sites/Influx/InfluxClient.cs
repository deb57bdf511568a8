using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace HcmCity.Sites.Influx;

/// <summary>
/// A small client for InfluxDB's v1 HTTP API. The InfluxDB.Client package is not available to us, and the v1
/// API (line protocol /write, InfluxQL /query) is the one every InfluxDB version serves.
/// </summary>
public sealed class InfluxClient(HttpClient http, IOptions<InfluxOptions> options)
{
    private readonly InfluxOptions _options = options.Value;

    private Uri BaseUrl => _options.Url ?? throw new InvalidOperationException("Influx URL is not configured.");

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri(BaseUrl, "ping"), cancellationToken);
        return response.StatusCode == HttpStatusCode.NoContent;
    }

    public Task EnsureDatabaseAsync(CancellationToken cancellationToken = default) =>
        PostQueryAsync($"CREATE DATABASE \"{_options.Database}\"", cancellationToken);

    /// <summary>Writes line-protocol points with millisecond timestamps.</summary>
    public async Task WriteAsync(string lines, CancellationToken cancellationToken = default)
    {
        var url = new Uri(BaseUrl, $"write?db={Uri.EscapeDataString(_options.Database)}&precision=ms");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(lines, Encoding.UTF8, "text/plain"),
        };
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Runs an InfluxQL query; times come back as epoch milliseconds.</summary>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxQl, CancellationToken cancellationToken = default)
    {
        var url = new Uri(BaseUrl,
            $"query?db={Uri.EscapeDataString(_options.Database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return ParseSeries(document.RootElement);
    }

    private async Task PostQueryAsync(string influxQl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, "query"))
        {
            Content = new FormUrlEncodedContent([new("q", influxQl)]),
        };
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (_options.Username is { Length: > 0 } user)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{_options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InfluxException(response.StatusCode, body);
        }
    }

    internal static IReadOnlyList<InfluxSeries> ParseSeries(JsonElement root)
    {
        var series = new List<InfluxSeries>();
        foreach (var result in root.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InfluxException(HttpStatusCode.BadRequest, error.GetString() ?? "query error");
            }
            if (!result.TryGetProperty("series", out var items))
            {
                continue;
            }
            foreach (var item in items.EnumerateArray())
            {
                var columns = item.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                var rows = item.GetProperty("values").EnumerateArray()
                    .Select(row => row.EnumerateArray().Select(ToValue).ToArray())
                    .ToArray();
                var tags = item.TryGetProperty("tags", out var t)
                    ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
                    : new Dictionary<string, string>();
                series.Add(new InfluxSeries(item.GetProperty("name").GetString()!, tags, columns, rows));
            }
        }
        return series;
    }

    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}

public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<object?[]> Rows);

public sealed class InfluxException(HttpStatusCode status, string body)
    : Exception($"InfluxDB answered {(int)status}: {body.Trim()}")
{
    public HttpStatusCode Status { get; } = status;
}
