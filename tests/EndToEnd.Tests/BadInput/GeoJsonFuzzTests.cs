using HcmCity.Testing;
using System.Globalization;
using System.Net;
using System.Text.Json;
using HcmCity.Gis.Parcels;

namespace HcmCity.EndToEnd.Tests.BadInput;

/// <summary>
/// Property tests over HTTP: a few hundred hostile geometries per endpoint (seeded, the seed printed; set
/// HCM_FUZZ_SEED to replay one) go to <c>POST /api/site-plans/check</c> (as the footprint of a parcel on record and
/// as an inline parcel) and <c>POST /api/permits/applications</c> (as a citizen). Each answer is 400 problem+json
/// naming the geometry's field (or "body" when the text is not JSON), or, for the valid-but-odd ones, a normal
/// success; never a 500, and the platform stays ready.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class GeoJsonFuzzTests(BadInputPlatformFixture fixture)
{
    private const int Cases = 300;

    /// <summary>District 1 (EPSG:9210), where the inline lot of the check is drawn.</summary>
    private const double E = 604_500;
    private const double N = 1_191_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Parcel Lot(int i) => fixture.Lots[i];

    private static int Seed(int fallback)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HCM_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var given)
            ? given
            : fallback;
        TestContext.Current.TestOutputHelper?.WriteLine($"Seed {seed} (set HCM_FUZZ_SEED={seed} to replay)");
        return seed;
    }

    private static string PlanNumbers => "\"floors\":4,\"height\":15,\"groundFloorHeight\":5,\"roadWidth\":8,\"areaType\":\"existing\"";

    private string CheckBody(Parcel parcel, string footprint) =>
        $$"""{"parcelId":{{parcel.Id}},"footprint":{{footprint}},{{PlanNumbers}}}""";

    private static string InlineBody(string parcelGeometry, string footprint) =>
        $$"""{"parcel":{"geometry":{{parcelGeometry}},"crs":"EPSG:9210","landUse":"ODT"},"footprint":{{footprint}},"crs":"EPSG:9210",{{PlanNumbers}},"date":"2026-07-01"}""";

    [Fact]
    public async Task Hostile_footprints_of_a_parcel_on_record_get_400_naming_footprint_and_reversed_winding_is_checked_normally()
    {
        var parcel = Lot(0);
        var envelope = parcel.SourceGeometry.EnvelopeInternal;
        var random = new Random(Seed(20260701));
        var geometries = new HostileGeoJson(random, envelope.MinX, envelope.MinY);
        var failures = new List<string>();

        foreach (var (index, @case) in Draw(geometries, excluded: null))
        {
            using var response = await fixture.SendTextAsync(HttpMethod.Post, "/api/site-plans/check", null, CheckBody(parcel, @case.Json));
            await ExpectAsync(response, @case, "footprint", failures, index);
        }

        // Reversed winding is checked like the counter-clockwise ring: the same verdict and findings.
        for (var i = 0; i < 20; i++)
        {
            var (x0, y0, x1, y1) = geometries.RandomRectangle();
            var ccw = await ReportAsync(CheckBody(parcel, geometries.Rectangle(x0, y0, x1, y1)));
            var cw = await ReportAsync(CheckBody(parcel, geometries.Rectangle(x0, y0, x1, y1, clockwise: true)));
            Assert.Equal(Findings(ccw), Findings(cw));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task Hostile_inline_parcels_get_400_naming_parcel_geometry()
    {
        var random = new Random(Seed(7946));
        var geometries = new HostileGeoJson(random, E, N);
        var footprint = geometries.Rectangle(1, 1, 9, 17);
        var failures = new List<string>();

        foreach (var (index, @case) in Draw(geometries, HostileGeoJson.FootprintOnlyKinds))
        {
            using var response = await fixture.SendTextAsync(HttpMethod.Post, "/api/site-plans/check", null, InlineBody(@case.Json, footprint));
            // A parcel with a 1e308 corner may still be a valid polygon: then the footprint, far from its centroid, is named.
            var fields = @case.Kind == "huge-number" ? new[] { "parcel.geometry", "footprint" } : ["parcel.geometry"];
            await ExpectAsync(response, @case, fields, failures, index);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task Hostile_dossier_footprints_get_400_naming_site_plan_footprint_and_reversed_winding_is_filed()
    {
        var parcel = Lot(1);
        var envelope = parcel.SourceGeometry.EnvelopeInternal;
        var random = new Random(Seed(135_2025));
        var geometries = new HostileGeoJson(random, envelope.MinX, envelope.MinY);
        var failures = new List<string>();
        var filed = 0;

        foreach (var (index, @case) in Draw(geometries, excluded: null))
        {
            var body = "{\"parcelId\":" + parcel.Id.ToString(CultureInfo.InvariantCulture) + ",\"permitType\":\"new-construction\","
                + "\"sitePlan\":{\"floors\":4,\"height\":15.8,\"basements\":0,\"roadWidth\":8,\"footprint\":" + @case.Json + "},"
                + "\"applicant\":{\"citizenId\":\"079200001234\",\"fullName\":\"Trần Văn Thử\",\"address\":\"1 Lê Lợi, Bến Nghé\",\"phone\":\"0909000222\"}}";
            using var response = await fixture.SendTextAsync(HttpMethod.Post, "/api/permits/applications", "citizen", body);
            if (@case.Accepted && response.StatusCode == HttpStatusCode.Created)
            {
                filed++;
                continue;
            }
            await ExpectAsync(response, @case, "sitePlan.footprint", failures, index);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        Assert.True(filed > 0, "no valid-but-odd footprint was drawn");
        await fixture.AssertHealthyAsync();
    }

    /// <summary>Every kind once (so each seed covers them all), then up to <see cref="Cases"/> drawn at random.</summary>
    private static IEnumerable<(int Index, GeoJsonCase Case)> Draw(HostileGeoJson geometries, IReadOnlyCollection<string>? excluded)
    {
        var index = 0;
        foreach (var kind in HostileGeoJson.Kinds.Except(excluded ?? []))
        {
            yield return (index++, geometries.Make(kind));
        }
        while (index < Cases)
        {
            yield return (index++, geometries.Next(excluded));
        }
    }

    private static Task ExpectAsync(HttpResponseMessage response, GeoJsonCase @case, string field, List<string> failures, int index) =>
        ExpectAsync(response, @case, [field], failures, index);

    /// <summary>Records (rather than throws) a wrong answer, so that one run reports every failing kind.</summary>
    private static async Task ExpectAsync(HttpResponseMessage response, GeoJsonCase @case, string[] fields, List<string> failures, int index)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        var status = (int)response.StatusCode;
        if (@case.Accepted)
        {
            if (status is not (200 or 201))
            {
                failures.Add($"#{index} {@case}: expected success, got {status}: {Problem.Shorten(text)}");
            }
            return;
        }
        var expected = @case.BreaksJson ? ["body"] : fields;
        if (status != 400 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"#{index} {@case}: expected 400 problem+json naming {string.Join(" or ", expected)}, got {status} {response.Content.Headers.ContentType}: {Problem.Shorten(text)}");
            return;
        }
        using var json = JsonDocument.Parse(text);
        if (!json.RootElement.TryGetProperty("errors", out var errors) || !expected.Any(f => errors.TryGetProperty(f, out _)))
        {
            failures.Add($"#{index} {@case}: expected errors naming {string.Join(" or ", expected)}: {Problem.Shorten(text)}");
        }
    }

    private async Task<JsonElement> ReportAsync(string body)
    {
        using var response = await fixture.SendTextAsync(HttpMethod.Post, "/api/site-plans/check", null, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Findings(JsonElement report) =>
        report.GetProperty("verdict").GetRawText() + string.Join(";", report.GetProperty("findings").EnumerateArray()
            .Select(f => $"{f.GetProperty("rule").GetString()}={f.GetProperty("status").GetRawText()}:{f.GetProperty("actual").GetRawText()}"));
}
