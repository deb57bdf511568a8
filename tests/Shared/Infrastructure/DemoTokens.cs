using System.Net.Http.Json;
using System.Text.Json;

namespace HcmCity.Testing;

/// <summary>Embedded mode's demo sign-in, as the tests use it.</summary>
public static class DemoTokens
{
    /// <summary>
    /// The bearer token of the demo account of <paramref name="role"/>, bound to <paramref name="unit"/> when given
    /// (POST /api/auth/demo-token). Use a client without a cookie jar: the sign-in also sets a token cookie.
    /// </summary>
    public static async Task<string> DemoTokenAsync(this HttpClient http, string role, string? unit = null)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/demo-token", new { role, unit }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("accessToken").GetString()!;
    }
}
