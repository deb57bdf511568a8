using System.Net;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Parcels;
using HcmCity.Integration.Tests.Infrastructure;
using HcmCity.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Integration.Tests.Api;

/// <summary>
/// The embedded platform (synthetic city) plus a patch of lots of our own, each carrying personal data, so the
/// API tests know exactly what a query must return and can look for leaks. Its own instance: the lots must not
/// change what other test collections count.
/// </summary>
public sealed class ApiPlatformFixture : IAsyncLifetime
{
    /// <summary>Lots of the patch: <see cref="Columns"/> × <see cref="Rows"/> lots of 10 × 20 m on sheet "7".</summary>
    public const int Columns = 6;

    public const int Rows = 5;

    public const string Sheet = "7";

    public PlatformInstance Platform { get; private set; } = null!;

    public ParcelFixtures Patch { get; } = new();

    /// <summary>The patch lots as stored (with ids), in id order.</summary>
    public IReadOnlyList<Parcel> Lots { get; private set; } = [];

    public IParcelStore Store => Platform.Services.GetRequiredService<IParcelStore>();

    public async ValueTask InitializeAsync()
    {
        Platform = await PlatformInstance.StartAsync();
        var lots = new List<Parcel>();
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                lots.Add(Patch.Lot(Sheet, row * Columns + column + 1, column * 10, row * 20, width: 10, depth: 20));
            }
        }

        await Store.UpsertAsync(lots);
        var page = await Store.SearchAsync(new ParcelQuery(Unit: Patch.Unit, Limit: 1000));
        Lots = page.Items;
    }

    public async ValueTask DisposeAsync() => await Platform.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ApiPlatformCollection : ICollectionFixture<ApiPlatformFixture>
{
    public const string Name = "Api platform";
}

/// <summary>Checks shared by the API tests.</summary>
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
