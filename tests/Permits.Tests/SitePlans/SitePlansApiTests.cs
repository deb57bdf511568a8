using HcmCity.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HcmCity.Gis.Compliance;
using HcmCity.Gis.Crs;
using HcmCity.Gis.Parcels;
using HcmCity.Permits.Tests.Dossiers;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace HcmCity.Permits.Tests.SitePlans;

/// <summary>The permits platform (ten 10 × 20 m ODT lots of its own unit, tokens) plus a 25 × 24 m lot over 500 m².</summary>
public sealed class SitePlansPlatformFixture : PermitsPlatformFixture
{
    public Parcel LargeLot { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var store = Platform.Services.GetRequiredService<IParcelStore>();
        await store.UpsertAsync([Patch.Lot("8", 1, 0, 100, width: 25, depth: 24)]);
        LargeLot = (await store.SearchAsync(new ParcelQuery(Unit: Patch.Unit, Sheet: "8"))).Items.Single();
    }
}

/// <summary>
/// <c>POST /api/site-plans/check</c> and <c>GET /api/permits/applications/{number}/check</c> over HTTP on the
/// embedded platform: verdicts, findings with their geometry in the asked CRS, bad input by field, and who may
/// check a dossier.
/// </summary>
public sealed class SitePlansApiTests(SitePlansPlatformFixture fixture) : IClassFixture<SitePlansPlatformFixture>
{
    private const string Check = "/api/site-plans/check";

    /// <summary>District 1 (EPSG:9210), where an inline lot is drawn: E 604,500 N 1,191,000.</summary>
    private const double E = 604_500;
    private const double N = 1_191_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Parcel Lot(int n) => fixture.Lots.Single(p => p.Key.Number == n.ToString(CultureInfo.InvariantCulture));

    /// <summary>Rectangle (x0, y0)-(x1, y1) metres from the south-west corner of <paramref name="parcel"/>, in its CRS.</summary>
    private static double[][][] Rect(Parcel parcel, double x0, double y0, double x1, double y1) =>
        Rect(parcel.SourceGeometry.EnvelopeInternal.MinX, parcel.SourceGeometry.EnvelopeInternal.MinY, x0, y0, x1, y1);

    private static double[][][] Rect(double e, double n, double x0, double y0, double x1, double y1) =>
    [[
        [e + x0, n + y0], [e + x1, n + y0], [e + x1, n + y1], [e + x0, n + y1], [e + x0, n + y0],
    ]];

    private static object Polygon(double[][][] coordinates) => new { type = "Polygon", coordinates };

    /// <summary>A 4-floor, 15 m house on an 8 m road, footprint 9.5 × 14 m on a 10 × 20 m lot (66.5 % ≤ 70 %): passes.</summary>
    private Dictionary<string, object?> PassingPlan(Parcel? parcel = null) => new()
    {
        ["parcelId"] = (parcel ?? Lot(1)).Id,
        ["footprint"] = Polygon(Rect(parcel ?? Lot(1), 0.25, 1, 9.75, 15)),
        ["floors"] = 4,
        ["height"] = 15,
        ["groundFloorHeight"] = 5,
        ["roadWidth"] = 8,
        ["areaType"] = "existing",
    };

    /// <summary>An inline 5 × 20 m ODT lot in District 1 with a 6 × 19 m footprint: 1 m sticks out east, density 114 %.</summary>
    private static Dictionary<string, object?> FailingInlinePlan() => new()
    {
        ["parcel"] = new { geometry = Polygon(Rect(E, N, 0, 0, 5, 20)), crs = "EPSG:9210", landUse = "ODT" },
        ["footprint"] = Polygon(Rect(E, N, 0, 0, 6, 19)),
        ["crs"] = "EPSG:9210",
        ["floors"] = 4,
        ["height"] = 15,
        ["roadWidth"] = 8,
        ["areaType"] = "existing",
        ["date"] = "2026-07-01",
    };

    private async Task<HttpResponseMessage> PostAsync(object body, string query = "") =>
        await fixture.Http.PostAsJsonAsync(Check + query, body, Ct);

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await fixture.Http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        using var json = await ApiAssert.JsonAsync(response, "application/json");
        return json.RootElement.Clone();
    }

    private static JsonElement Finding(JsonElement report, string rule) =>
        report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == rule);

    /// <summary>WGS 84 envelope of the EPSG:9210 rectangle, through the platform's own transformation.</summary>
    private static Envelope Wgs84(double e, double n, double x0, double y0, double x1, double y1)
    {
        var polygon = GeometryFactories.For(Srid.HcmcTm3).CreatePolygon(
            [.. Rect(e, n, x0, y0, x1, y1)[0].Select(p => new Coordinate(p[0], p[1]))]);
        return CrsTransforms.Transform(polygon, Srid.Wgs84).EnvelopeInternal;
    }

    private static void AssertEnvelope(Envelope expected, JsonElement geometry, double tolerance)
    {
        var positions = ApiAssert.Positions(geometry).ToList();
        Assert.Equal(expected.MinX, positions.Min(p => p.X), tolerance);
        Assert.Equal(expected.MaxX, positions.Max(p => p.X), tolerance);
        Assert.Equal(expected.MinY, positions.Min(p => p.Y), tolerance);
        Assert.Equal(expected.MaxY, positions.Max(p => p.Y), tolerance);
    }

    [Fact]
    public async Task A_compliant_plan_on_a_parcel_on_record_passes_every_rule_in_order_without_geometry()
    {
        var report = await OkAsync(await PostAsync(PassingPlan()));

        Assert.Equal("pass", report.GetProperty("verdict").GetString());
        Assert.Equal("hcmc-56-2021", report.GetProperty("ruleSet").GetProperty("id").GetString());
        Assert.Equal("1", report.GetProperty("ruleSet").GetProperty("version").GetString());
        Assert.Equal("EPSG:9210", report.GetProperty("crs").GetString());
        var findings = report.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(RuleIds.All, findings.Select(f => f.GetProperty("rule").GetString()));
        Assert.All(findings, f =>
        {
            Assert.Contains(f.GetProperty("status").GetString(), new[] { "pass", "not-applicable" });
            Assert.NotEqual(JsonValueKind.Object, f.TryGetProperty("geometry", out var g) ? g.ValueKind : JsonValueKind.Undefined);
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("message").GetProperty("vi").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("message").GetProperty("en").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("citation").GetString()));
        });
        var density = Finding(report, RuleIds.Density);
        Assert.Equal(66.5, density.GetProperty("actual").GetDouble(), 6);
        Assert.Equal(70, density.GetProperty("limit").GetDouble(), 6);
        Assert.Equal("%", density.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task A_failing_plan_draws_its_density_and_inside_parcel_findings_in_WGS_84_near_HCMC()
    {
        var report = await OkAsync(await PostAsync(FailingInlinePlan(), "?crs=EPSG:4326"));

        Assert.Equal("fail", report.GetProperty("verdict").GetString());
        Assert.Equal("EPSG:4326", report.GetProperty("crs").GetString());

        var inside = Finding(report, RuleIds.InsideParcel);
        Assert.Equal("fail", inside.GetProperty("status").GetString());
        Assert.Equal(19, inside.GetProperty("actual").GetDouble(), 6);
        Assert.Equal(0, inside.GetProperty("limit").GetDouble());
        Assert.Equal("m²", inside.GetProperty("unit").GetString());
        Assert.StartsWith("Law 135/2025/QH15 Art. 48(3)", inside.GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Contains("nằm ngoài ranh thửa đất", inside.GetProperty("message").GetProperty("vi").GetString(), StringComparison.Ordinal);
        var outside = inside.GetProperty("geometry");
        Assert.Equal("Polygon", outside.GetProperty("type").GetString());
        Assert.All(ApiAssert.Positions(outside), p =>
        {
            Assert.InRange(p.X, 106.6, 106.8);
            Assert.InRange(p.Y, 10.7, 10.85);
        });
        AssertEnvelope(Wgs84(E, N, 5, 0, 6, 19), outside, 1e-8);

        var density = Finding(report, RuleIds.Density);
        Assert.Equal("fail", density.GetProperty("status").GetString());
        Assert.Equal(114, density.GetProperty("actual").GetDouble(), 6);
        Assert.Equal(90, density.GetProperty("limit").GetDouble(), 6);
        Assert.Equal("Decision 56/2021/QĐ-UBND, Appendix 18, Table 1", density.GetProperty("citation").GetString());
        Assert.Contains("vượt mức tối đa 90%", density.GetProperty("message").GetProperty("vi").GetString(), StringComparison.Ordinal);
        AssertEnvelope(Wgs84(E, N, 0, 0, 6, 19), density.GetProperty("geometry"), 1e-8);
    }

    [Fact]
    public async Task Finding_geometry_stays_in_the_plans_CRS_when_no_crs_is_asked_for()
    {
        var report = await OkAsync(await PostAsync(FailingInlinePlan()));

        Assert.Equal("EPSG:9210", report.GetProperty("crs").GetString());
        AssertEnvelope(new Envelope(E + 5, E + 6, N, N + 19), Finding(report, RuleIds.InsideParcel).GetProperty("geometry"), 1e-6);
    }

    [Fact]
    public async Task A_lot_over_500_m2_is_left_to_the_officer_as_review()
    {
        var lot = fixture.LargeLot;
        var plan = PassingPlan(lot);
        plan["footprint"] = Polygon(Rect(lot, 2, 1, 22, 19));

        var report = await OkAsync(await PostAsync(plan));

        Assert.Equal("review", report.GetProperty("verdict").GetString());
        var lotSize = Finding(report, RuleIds.LotSize);
        Assert.Equal("review", lotSize.GetProperty("status").GetString());
        Assert.Equal(600, lotSize.GetProperty("actual").GetDouble(), 6);
        Assert.Equal(500, lotSize.GetProperty("limit").GetDouble(), 6);
        Assert.Equal("review", Finding(report, RuleIds.Density).GetProperty("status").GetString());
        Assert.DoesNotContain(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("status").GetString() == "fail");
    }

    [Fact]
    public async Task The_date_selects_the_rule_set_and_new_areas_use_QCVN_01()
    {
        var plan = PassingPlan();
        plan["areaType"] = "new";
        plan["date"] = "2026-07-01";

        var report = await OkAsync(await PostAsync(plan));

        Assert.Equal("qcvn-01-2021", report.GetProperty("ruleSet").GetProperty("id").GetString());
        plan["date"] = "2021-07-04";
        await ApiAssert.BadInputAsync(await PostAsync(plan), "date");
    }

    [Theory]
    [InlineData("bow-tie footprint", "footprint")]
    [InlineData("footprint in degrees", "footprint")]
    [InlineData("footprint in EPSG:5899", "footprint")]
    [InlineData("footprint not GeoJSON", "footprint")]
    [InlineData("footprint missing", "footprint")]
    [InlineData("footprint a LineString", "footprint")]
    [InlineData("negative height", "height")]
    [InlineData("negative road width", "roadWidth")]
    [InlineData("negative sidewalk", "sidewalkWidth")]
    [InlineData("floors 0", "floors")]
    [InlineData("floors 2.5", "floors")]
    [InlineData("height NaN text", "height")]
    [InlineData("height overflow", "height")]
    [InlineData("unknown parcel id", "parcelId")]
    [InlineData("parcel id not a number", "parcelId")]
    [InlineData("both parcelId and parcel", "parcel")]
    [InlineData("both parcelId and parcel", "parcelId")]
    [InlineData("neither parcelId nor parcel", "parcelId")]
    [InlineData("inline parcel without crs", "parcel.crs")]
    [InlineData("inline parcel in unknown crs", "parcel.crs")]
    [InlineData("inline parcel in degrees", "parcel.crs")]
    [InlineData("inline bow-tie parcel", "parcel.geometry")]
    [InlineData("inline parcel without land use", "parcel.landUse")]
    [InlineData("crs differs from the parcel's", "crs")]
    [InlineData("unknown crs in body", "crs")]
    [InlineData("unknown output crs", "crs")]
    [InlineData("areaType unknown", "areaType")]
    [InlineData("areaType missing", "areaType")]
    [InlineData("date malformed", "date")]
    [InlineData("centralWard not boolean", "centralWard")]
    [InlineData("ground floor above roof", "groundFloorHeight")]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string scenario, string field)
    {
        var plan = PassingPlan();
        var lot = Lot(1);
        var query = "";
        var inline = FailingInlinePlan();
        switch (scenario)
        {
            case "bow-tie footprint":
                var bow = Rect(lot, 1, 1, 9, 15)[0];
                plan["footprint"] = Polygon([[bow[0], bow[1], bow[3], bow[2], bow[0]]]);
                break;
            case "footprint in degrees":
                var corner = lot.Geometry.EnvelopeInternal;
                plan["footprint"] = Polygon(Rect(corner.MinX, corner.MinY, 0, 0, 0.00005, 0.0001));
                break;
            case "footprint in EPSG:5899":
                var brvt = CrsTransforms.Transform(lot.SourceGeometry, Srid.BrvtTm3).EnvelopeInternal;
                plan["footprint"] = Polygon(Rect(brvt.MinX, brvt.MinY, 1, 1, 9, 15));
                break;
            case "footprint not GeoJSON":
                plan["footprint"] = new { type = "Polygon", coordinates = "here" };
                break;
            case "footprint missing":
                plan.Remove("footprint");
                break;
            case "footprint a LineString":
                plan["footprint"] = new { type = "LineString", coordinates = Rect(lot, 1, 1, 9, 15)[0] };
                break;
            case "negative height":
                plan["height"] = -15;
                break;
            case "negative road width":
                plan["roadWidth"] = -8;
                break;
            case "negative sidewalk":
                plan["sidewalkWidth"] = -1;
                break;
            case "floors 0":
                plan["floors"] = 0;
                break;
            case "floors 2.5":
                plan["floors"] = 2.5;
                break;
            case "height NaN text":
                plan["height"] = "NaN";
                break;
            case "height overflow":
                plan["height"] = JsonDocument.Parse("1e400").RootElement.Clone();
                break;
            case "unknown parcel id":
                plan["parcelId"] = long.MaxValue;
                break;
            case "parcel id not a number":
                plan["parcelId"] = "one";
                break;
            case "both parcelId and parcel":
                plan["parcel"] = inline["parcel"];
                break;
            case "neither parcelId nor parcel":
                plan.Remove("parcelId");
                break;
            case "inline parcel without crs":
                plan = inline;
                plan["parcel"] = new { geometry = Polygon(Rect(E, N, 0, 0, 5, 20)), landUse = "ODT" };
                break;
            case "inline parcel in unknown crs":
                plan = inline;
                plan["parcel"] = new { geometry = Polygon(Rect(E, N, 0, 0, 5, 20)), crs = "EPSG:32648x", landUse = "ODT" };
                break;
            case "inline parcel in degrees":
                plan = inline;
                plan["parcel"] = new { geometry = Polygon(Rect(106.7, 10.77, 0, 0, 0.00005, 0.0002)), crs = "EPSG:4326", landUse = "ODT" };
                break;
            case "inline bow-tie parcel":
                plan = inline;
                var tie = Rect(E, N, 0, 0, 5, 20)[0];
                plan["parcel"] = new { geometry = Polygon([[tie[0], tie[1], tie[3], tie[2], tie[0]]]), crs = "EPSG:9210", landUse = "ODT" };
                break;
            case "inline parcel without land use":
                plan = inline;
                plan["parcel"] = new { geometry = Polygon(Rect(E, N, 0, 0, 5, 20)), crs = "EPSG:9210" };
                break;
            case "crs differs from the parcel's":
                plan["crs"] = "EPSG:5899";
                break;
            case "unknown crs in body":
                plan["crs"] = "EPSG:0000";
                break;
            case "unknown output crs":
                query = "?crs=EPSG:999999";
                break;
            case "areaType unknown":
                plan["areaType"] = "old";
                break;
            case "areaType missing":
                plan.Remove("areaType");
                break;
            case "date malformed":
                plan["date"] = "01/07/2026";
                break;
            case "centralWard not boolean":
                plan["centralWard"] = "yes";
                break;
            case "ground floor above roof":
                plan["groundFloorHeight"] = 16;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        await ApiAssert.BadInputAsync(await PostAsync(plan, query), field);
    }

    [Fact]
    public async Task Several_bad_members_are_listed_each_by_name()
    {
        var plan = PassingPlan();
        plan.Remove("groundFloorHeight");
        plan["floors"] = 0;
        plan["height"] = -1;
        plan["roadWidth"] = 0;

        using var response = await PostAsync(plan);

        await ApiAssert.BadInputAsync(response, "floors");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal(["floors", "height", "roadWidth"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_400_naming_the_body()
    {
        using var content = new StringContent("{\"floors\": 4,", Encoding.UTF8, "application/json");
        await ApiAssert.BadInputAsync(await fixture.Http.PostAsync(Check, content, Ct), "body");
    }

    [Fact]
    public async Task A_dossiers_plan_is_checked_for_the_officer_of_its_unit_with_parcel_and_footprint_in_WGS_84()
    {
        var lot = Lot(3);
        var number = await SubmitAsync(lot, Rect(lot, 0.05, 0.5, 9.95, 19.5));

        var report = await OkAsync(await GetAsync($"/api/permits/applications/{number}/check", fixture.OfficerToken));

        Assert.Equal("fail", report.GetProperty("verdict").GetString());
        Assert.Equal("hcmc-56-2021", report.GetProperty("ruleSet").GetProperty("id").GetString());
        Assert.Equal("EPSG:4326", report.GetProperty("crs").GetString());
        Assert.Equal(RuleIds.All, report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()));
        var lotEnvelope = lot.Geometry.EnvelopeInternal;
        AssertEnvelope(lotEnvelope, report.GetProperty("parcel"), 1e-9);
        var (e, n) = (lot.SourceGeometry.EnvelopeInternal.MinX, lot.SourceGeometry.EnvelopeInternal.MinY);
        var footprint = Wgs84(e, n, 0.05, 0.5, 9.95, 19.5);
        AssertEnvelope(footprint, report.GetProperty("footprint"), 1e-8);
        var density = Finding(report, RuleIds.Density);
        Assert.Equal("fail", density.GetProperty("status").GetString());
        Assert.Equal(70, density.GetProperty("limit").GetDouble(), 6);
        AssertEnvelope(footprint, density.GetProperty("geometry"), 1e-8);
        Assert.Equal("pass", Finding(report, RuleIds.InsideParcel).GetProperty("status").GetString());

        var asNew = await OkAsync(await GetAsync($"/api/permits/applications/{number}/check?areaType=new", fixture.OfficerToken));
        Assert.Equal("qcvn-01-2021", asNew.GetProperty("ruleSet").GetProperty("id").GetString());
        await ApiAssert.BadInputAsync(await GetAsync($"/api/permits/applications/{number}/check?areaType=rural", fixture.OfficerToken), "areaType");
    }

    [Fact]
    public async Task A_compliant_dossier_passes()
    {
        var lot = Lot(4);
        var number = await SubmitAsync(lot, Rect(lot, 1, 1, 9, 17));

        var report = await OkAsync(await GetAsync($"/api/permits/applications/{number}/check", fixture.OfficerToken));

        Assert.Equal("pass", report.GetProperty("verdict").GetString());
        Assert.Equal(64, Finding(report, RuleIds.Density).GetProperty("actual").GetDouble(), 6);
    }

    [Fact]
    public async Task Only_officers_of_the_dossiers_unit_may_check_it()
    {
        var lot = Lot(5);
        var number = await SubmitAsync(lot, Rect(lot, 1, 1, 9, 17));
        var path = $"/api/permits/applications/{number}/check";

        await AssertProblemAsync(await GetAsync(path, fixture.OtherUnitOfficerToken), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(path, fixture.CitizenToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(path, fixture.InspectorToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path, null)).StatusCode);
        await AssertProblemAsync(await GetAsync("/api/permits/applications/HS-1999-000000/check", fixture.OfficerToken), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(path, fixture.OfficerToken)).StatusCode);
    }

    [Fact]
    public async Task The_public_pre_check_needs_no_sign_in_and_stores_nothing()
    {
        var store = fixture.Platform.Services.GetRequiredService<IParcelStore>();
        var before = await store.CountAsync(Ct);

        using var response = await PostAsync(PassingPlan());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await store.CountAsync(Ct));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A citizen's dossier for <paramref name="lot"/>: 4 floors, 15.8 m, 8 m road, the given footprint.</summary>
    private async Task<string> SubmitAsync(Parcel lot, double[][][] footprint)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/permits/applications")
        {
            Content = JsonContent.Create(new
            {
                parcelId = lot.Id,
                permitType = "new-construction",
                sitePlan = new { floors = 4, height = 15.8, basements = 0, roadWidth = 8, footprint = Polygon(footprint) },
                applicant = new
                {
                    // The demo citizen's own CCCD: an account declares one person's profile.
                    citizenId = "079200000222",
                    fullName = "Trần Văn Mặt Bằng",
                    address = "5 Lê Lợi, Sài Gòn",
                    phone = "0909000222",
                },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.CitizenToken);
        using var response = await fixture.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("number").GetString()!;
    }
}
