using System.Net;
using System.Text.Json;

namespace HcmCity.Testing;

/// <summary>Checks shared by the API tests of every capability.</summary>
internal static class ApiAssert
{
    /// <summary>A 400 problem+json whose errors name <paramref name="field"/>.</summary>
    public static async Task BadInputAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400 naming '{field}', got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var errors = json.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"Expected errors to name '{field}': {body}");
    }

    /// <summary>A 200 response of <paramref name="mediaType"/>, parsed.</summary>
    public static async Task<JsonDocument> JsonAsync(HttpResponseMessage response, string mediaType)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }

    /// <summary>The ids of a FeatureCollection's features, in order.</summary>
    public static List<long> FeatureIds(JsonDocument collection) =>
        [.. collection.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("id").GetInt64())];

    /// <summary>The href of the first link with relation <paramref name="rel"/>, or null.</summary>
    public static string? Link(JsonElement document, string rel) =>
        document.GetProperty("links").EnumerateArray()
            .Where(l => l.GetProperty("rel").GetString() == rel)
            .Select(l => l.GetProperty("href").GetString())
            .FirstOrDefault();

    /// <summary>Every coordinate pair of a GeoJSON geometry.</summary>
    public static IEnumerable<(double X, double Y)> Positions(JsonElement geometry)
    {
        static IEnumerable<(double, double)> Walk(JsonElement e) =>
            e[0].ValueKind == JsonValueKind.Number
                ? [(e[0].GetDouble(), e[1].GetDouble())]
                : e.EnumerateArray().SelectMany(Walk);
        return Walk(geometry.GetProperty("coordinates"));
    }
}
