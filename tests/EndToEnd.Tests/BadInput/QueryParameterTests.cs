using HcmCity.Testing;
using System.Globalization;
using System.Net;
using System.Text.Json;
using HcmCity.Gis.Parcels;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.EndToEnd.Tests.BadInput;

/// <summary>
/// Query and route parameters: SQL-injection strings, control characters, very long text, absurd bboxes, zooms,
/// limits, instants and CRSs against every read endpoint. Each is 400 problem+json naming the parameter (tiles out of
/// range included: the tile endpoint documents 400 naming z, x or y, and a 200 empty tile only for an in-range tile
/// with no parcels), never a 500, and the land records are unchanged afterwards.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class QueryParameterTests(BadInputPlatformFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string PathTraversal = "../../etc/passwd";

    private static readonly string[] Injections =
    [
        "' OR 1=1 --", "1;DROP TABLE parcels", "1'; DELETE FROM parcels; --", "\" OR \"\"=\"", "1 UNION SELECT * FROM applicants",
        "%' AND pg_sleep(10) --", "$$; DROP TABLE parcels; $$", "\\'; --", "<script>alert(1)</script>", PathTraversal,
        "a\u0000b", "\u0000", "\r\nX-Injected: 1", "𝕳𝖈𝖒 🏗️", "Phường;--", new string('9', 400), new string('x', 4000),
    ];

    private static string Q(string value) => Uri.EscapeDataString(value);

    /// <summary>(url, role or null, the parameter the answer must name).</summary>
    public static TheoryData<string, string?, string> BadQueries()
    {
        var data = new TheoryData<string, string?, string>();
        foreach (var bbox in new[]
        {
            "106.8,10.8,106.7,10.7", "-200,10,106,11", "106,10,106.1,95", "NaN,10,106,11", "106,10,Infinity,11", "1e308,1e308,1e308,1e308",
            "106,10,106.1", "106,10,106.1,10.1,5", "106,10,106.1,10.1,0,5,7", "a,b,c,d", "", ",,,", "106 10 106.1 10.1", "0x10,1,2,3",
            "106,10,107,11", "-180,-90,180,90",
        })
        {
            if (bbox.Length > 0)
            {
                data.Add($"/api/parcels?bbox={Q(bbox)}", null, "bbox");
            }
        }
        foreach (var bbox in new[] { "106.8,10.8,106.7,10.7", "NaN,10,106,11", "106,10,106.1,10.1,5", "1e309,1,2,3", "a,b,c,d", "106,10,106.1,10.1,0,5,7" })
        {
            data.Add($"/ogc/collections/parcels/items?bbox={Q(bbox)}", null, "bbox");
            data.Add($"/api/sites?bbox={Q(bbox)}", "inspector", "bbox");
        }
        foreach (var limit in new[] { "-1", "0", "1e9", "1.5", "99999999999999999999", "abc", "0x10", " 5" })
        {
            data.Add($"/api/parcels?limit={Q(limit)}", null, "limit");
            data.Add($"/api/sites?limit={Q(limit)}", "inspector", "limit");
            if (limit is not ("1e9" or "99999999999999999999"))
            {
                data.Add($"/ogc/collections/parcels/items?limit={Q(limit)}", null, "limit");
            }
        }
        data.Add("/ogc/collections/parcels/items?limit=1e9", null, "limit");
        data.Add("/api/parcels?offset=-1", null, "offset");
        data.Add("/ogc/collections/parcels/items?offset=99999999999999", null, "offset");
        foreach (var crs in new[] { "EPSG:0", "EPSG:99999999999", "EPSG:-4326", "http://www.opengis.net/def/crs/EPSG/0/1", "urn:ogc:def:crs:EPSG::", "' OR 1=1 --", "EPSG:4326;DROP TABLE parcels" })
        {
            data.Add($"/api/parcels?crs={Q(crs)}", null, "crs");
            data.Add($"/ogc/collections/parcels/items?crs={Q(crs)}", null, "crs");
            data.Add($"/api/parcels/at?x=604500&y=1191000&crs={Q(crs)}", null, "crs");
        }
        data.Add($"/ogc/collections/parcels/items?bbox=106,10,107,11&bbox-crs={Q("EPSG:1")}", null, "bbox-crs");
        foreach (var (lon, lat, field) in new[]
        {
            ("NaN", "10.7", "lon"), ("106.7", "NaN", "lat"), ("Infinity", "10.7", "lon"), ("1e308", "10.7", "lon"), ("106.7", "-1e308", "lat"),
            ("181", "10", "lon"), ("106", "91", "lat"), ("' OR 1=1 --", "10", "lon"), ("106", "1;DROP TABLE parcels", "lat"), ("", "10.7", "lon"),
        })
        {
            data.Add($"/api/parcels/at?lon={Q(lon)}&lat={Q(lat)}", null, field);
        }
        data.Add("/api/parcels/at?x=1e308&y=1191000&crs=EPSG:9210", null, "x");
        data.Add("/api/parcels/at?x=604500&y=NaN&crs=EPSG:9210", null, "y");
        foreach (var (z, x, y, field) in new[]
        {
            ("99", "0", "0", "z"), ("-1", "0", "0", "z"), ("23", "0", "0", "z"), ("abc", "0", "0", "z"), ("1e1", "0", "0", "z"),
            ("2147483648", "0", "0", "z"), ("3", "8", "0", "x"), ("3", "0", "8", "y"), ("0", "1", "0", "x"), ("22", "4194304", "0", "x"),
            ("5", "-1", "0", "x"), ("5", "0", "-1", "y"), ("5", "NaN", "0", "x"), ("5", "0", "9999999999999", "y"), ("5", Q("1;DROP TABLE parcels"), "0", "x"),
        })
        {
            data.Add($"/tiles/parcels/{z}/{x}/{y}.mvt", null, field);
        }
        // "../../etc/passwd" is made of key characters (letters, '.', '/'): a valid key that matches nothing (below).
        foreach (var injection in Injections.Where(i => i != PathTraversal))
        {
            data.Add($"/api/parcels?unit={Q(injection)}", null, "unit");
            data.Add($"/api/parcels?sheet={Q(injection)}", null, "sheet");
            data.Add($"/api/parcels?number={Q(injection)}", null, "number");
            data.Add($"/api/sites?ward={Q(injection)}", "inspector", "ward");
            if (!injection.Contains('\0', StringComparison.Ordinal))
            {
                data.Add($"/api/parcels/{Q(injection)}", null, "id");
            }
            data.Add($"/api/parcels?limit={Q(injection)}", null, "limit");
            data.Add($"/ogc/collections/parcels/items?f={Q(injection)}", null, "f");
            data.Add($"/api/permits/applications?state={Q(injection)}", "officer", "state");
            data.Add($"/api/permits/applications?overdue={Q(injection)}", "officer", "overdue");
        }
        data.Add($"/api/parcels/{Q(PathTraversal)}", null, "id");
        return data;
    }

    /// <summary>Readings of a sensor: instants and bucket sizes (inspector).</summary>
    public static TheoryData<string, string> BadReadingQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var (query, field) in new[]
        {
            ("from=yesterday", "from"), ("to=' OR 1=1 --", "to"), ("from=2026-13-45T99:00:00Z", "from"),
            ("from=2026-07-02T00:00:00Z&to=2026-07-01T00:00:00Z", "from"), ("every=0s", "every"), ("every=-5m", "every"),
            ("every=5y", "every"), ("every=s", "every"), ("every=99999999999h", "every"), ("every=1;DROP", "every"),
            ("from=0001-01-01T00:00:00Z&every=1s", "from"), ("from=1970-01-01T00:00:00Z&every=1s", "every"), ("from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&every=1m", "every"),
            ("to=0001-01-01T00:00:00Z", "to"), ("from=9999-12-31T23:59:59Z&to=9999-12-31T23:59:59Z", "from"),
        })
        {
            data.Add(query, field);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_parameter_is_400_problem_json_naming_it(string url, string? role, string field)
    {
        using var response = await fixture.SendTextAsync(HttpMethod.Get, url, role, body: null);
        await Problem.BadInputAsync(response, field, $"GET {url}");
    }

    [Theory]
    [MemberData(nameof(BadReadingQueries))]
    public async Task A_bad_readings_query_is_400_problem_json_naming_it(string query, string field)
    {
        using var response = await fixture.SendTextAsync(HttpMethod.Get, $"/api/sensors/dev-none/readings?{query}", "inspector", body: null);
        await Problem.BadInputAsync(response, field, $"readings?{query}");
    }

    [Fact]
    public async Task Injection_strings_change_nothing_in_the_land_records_and_leave_the_platform_ready()
    {
        var store = fixture.Platform.Services.GetRequiredService<IParcelStore>();
        var before = await fixture.ParcelCountAsync();
        var lot = fixture.Lots[2];
        var lotBefore = await store.GetAsync(lot.Id, Ct);

        foreach (var injection in Injections.Where(i => i != PathTraversal))
        {
            foreach (var url in new[]
            {
                $"/api/parcels?unit={Q(injection)}", $"/api/parcels/{Q(injection)}", $"/ogc/collections/parcels/items/{Q(injection)}",
                $"/ogc/collections/{Q(injection)}/items", $"/api/parcels?bbox={Q(injection)}", $"/api/track/{Q(injection)}?secret={Q(injection)}",
            })
            {
                using var response = await fixture.SendTextAsync(HttpMethod.Get, url, null, body: null);
                Assert.True((int)response.StatusCode is >= 400 and < 500, $"GET {url}: {(int)response.StatusCode}");
                // Kestrel itself refuses a NUL in the path (400, before the application); everything else is ours.
                if (!url.Split('?')[0].Contains("%00", StringComparison.Ordinal))
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }

        Assert.Equal(before, await fixture.ParcelCountAsync());
        var lotAfter = await store.GetAsync(lot.Id, Ct);
        Assert.NotNull(lotAfter);
        Assert.Equal(lotBefore!.Key, lotAfter.Key);
        Assert.True(lotBefore.SourceGeometry.EqualsExact(lotAfter.SourceGeometry));
        // A valid search still finds our lots by their unit.
        using var search = await fixture.Http.GetAsync($"/api/parcels?unit={fixture.Patch.Unit}", Ct);
        using var json = JsonDocument.Parse(await search.Content.ReadAsStringAsync(Ct));
        Assert.Equal(fixture.Lots.Count, json.RootElement.GetProperty("numberMatched").GetInt32());
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task Unicode_key_parts_and_an_oversized_ogc_limit_are_valid_and_answered_normally()
    {
        // Vietnamese letters are land-record key characters: no match, not an error.
        using var unicode = await fixture.Http.GetAsync($"/api/parcels?unit={Q("Phường Bến Thành")}", Ct);
        Assert.Equal(HttpStatusCode.OK, unicode.StatusCode);
        using var json = JsonDocument.Parse(await unicode.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, json.RootElement.GetProperty("numberMatched").GetInt32());
        foreach (var url in new[] { $"/api/parcels?unit={Q(PathTraversal)}", $"/api/parcels?sheet={Q(PathTraversal)}" })
        {
            using var traversal = await fixture.Http.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, traversal.StatusCode);
            using var none = JsonDocument.Parse(await traversal.Content.ReadAsStringAsync(Ct));
            Assert.Equal(0, none.RootElement.GetProperty("numberMatched").GetInt32());
        }
        // OGC API - Features §7.15.4: a limit above the maximum is served as the maximum.
        using var ogc = await fixture.Http.GetAsync("/ogc/collections/parcels/items?limit=1000000000", Ct);
        Assert.Equal(HttpStatusCode.OK, ogc.StatusCode);
        using var page = JsonDocument.Parse(await ogc.Content.ReadAsStringAsync(Ct));
        Assert.True(page.RootElement.GetProperty("features").GetArrayLength() <= HcmCity.LandRecords.Ogc.OgcApi.MaxLimit);
        // The deepest tile is served (empty where there are no parcels); one deeper is not.
        using var deepest = await fixture.Http.GetAsync("/tiles/parcels/22/0/0.mvt", Ct);
        Assert.Equal(HttpStatusCode.OK, deepest.StatusCode);
    }
}
