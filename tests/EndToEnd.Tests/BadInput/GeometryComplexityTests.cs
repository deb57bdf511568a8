using HcmCity.Testing;
using System.Globalization;
using System.Net;
using System.Text;
using HcmCity.Gis.GeoJson;

namespace HcmCity.EndToEnd.Tests.BadInput;

/// <summary>
/// One cap on every geometry a request carries (<see cref="GeoJsonInput.MaxVertices"/> positions,
/// <see cref="GeoJsonInput.MaxParts"/> rings or parts): beyond it the answer is 400 problem+json naming the field,
/// before any check spends CPU on it; at the cap the geometry is checked normally.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class GeometryComplexityTests(BadInputPlatformFixture fixture)
{
    private const string PlanNumbers = "\"floors\":4,\"height\":15,\"groundFloorHeight\":5,\"roadWidth\":8,\"areaType\":\"existing\"";

    /// <summary>A valid ring of <paramref name="positions"/> positions (the last closing it) on a circle around (x, y).</summary>
    private static string Circle(double x, double y, double radius, int positions)
    {
        var ring = Enumerable.Range(0, positions - 1)
            .Select(i => (X: x + (radius * Math.Cos(2 * Math.PI * i / (positions - 1))), Y: y + (radius * Math.Sin(2 * Math.PI * i / (positions - 1)))))
            .Append((X: x + radius, Y: y))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.X:R},{p.Y:R}]"));
        return "[" + string.Join(",", ring) + "]";
    }

    private static string Polygon(string ring) => $$"""{"type":"Polygon","coordinates":[{{ring}}]}""";

    /// <summary>A MultiPolygon of <paramref name="parts"/> small squares side by side from (x, y).</summary>
    private static string Squares(double x, double y, double side, int parts)
    {
        var squares = Enumerable.Range(0, parts).Select(i =>
        {
            var x0 = x + (i * side * 2);
            return string.Create(CultureInfo.InvariantCulture,
                $"[[[{x0:R},{y:R}],[{x0 + side:R},{y:R}],[{x0 + side:R},{y + side:R}],[{x0:R},{y + side:R}],[{x0:R},{y:R}]]]");
        });
        return """{"type":"MultiPolygon","coordinates":[""" + string.Join(",", squares) + "]}";
    }

    [Fact]
    public async Task A_site_plan_footprint_over_the_cap_is_400_naming_footprint_and_one_at_the_cap_is_checked()
    {
        var lot = fixture.Lots[2];
        var corner = lot.SourceGeometry.EnvelopeInternal;
        string Body(int positions) =>
            $$"""{"parcelId":{{lot.Id}},"footprint":{{Polygon(Circle(corner.MinX + 5, corner.MinY + 10, 3.5, positions))}},{{PlanNumbers}}}""";

        using var atCap = await fixture.SendTextAsync(HttpMethod.Post, "/api/site-plans/check", null, Body(GeoJsonInput.MaxVertices));
        using var over = await fixture.SendTextAsync(HttpMethod.Post, "/api/site-plans/check", null, Body(20_000));

        Assert.Equal(HttpStatusCode.OK, atCap.StatusCode);
        var problem = await Problem.BadInputAsync(over, "footprint", "20,000-position footprint");
        Assert.Contains("20000", problem.GetProperty("errors").GetProperty("footprint")[0].GetString(), StringComparison.Ordinal);
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task An_inline_parcel_over_the_cap_is_400_naming_parcel_geometry()
    {
        const double E = 604_500, N = 1_191_000;
        var parcel = Polygon(Circle(E + 5, N + 10, 9, GeoJsonInput.MaxVertices + 1));
        var footprint = Polygon(Circle(E + 5, N + 10, 3, 5));
        var body = $$"""{"parcel":{"geometry":{{parcel}},"crs":"EPSG:9210","landUse":"ODT"},"footprint":{{footprint}},"crs":"EPSG:9210",{{PlanNumbers}},"date":"2026-07-01"}""";

        using var response = await fixture.SendTextAsync(HttpMethod.Post, "/api/site-plans/check", null, body);

        await Problem.BadInputAsync(response, "parcel.geometry", "inline parcel of MaxVertices + 1 positions");
    }

    [Fact]
    public async Task A_dossier_footprint_over_the_cap_is_400_naming_site_plan_footprint()
    {
        var lot = fixture.Lots[3];
        var corner = lot.SourceGeometry.EnvelopeInternal;
        var footprint = Polygon(Circle(corner.MinX + 5, corner.MinY + 10, 3.5, 20_000));
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{{\"parcelId\":{lot.Id},\"permitType\":\"new-construction\",")
            .Append("\"sitePlan\":{\"floors\":4,\"height\":15.8,\"basements\":0,\"roadWidth\":8,\"footprint\":").Append(footprint).Append("},")
            .Append("\"applicant\":{\"citizenId\":\"079200001234\",\"fullName\":\"Trần Văn Thử\",\"address\":\"1 Lê Lợi, Bến Nghé\",\"phone\":\"0909000222\"}}")
            .ToString();

        using var response = await fixture.SendTextAsync(HttpMethod.Post, "/api/permits/applications", "citizen", body);

        await Problem.BadInputAsync(response, "sitePlan.footprint", "20,000-position dossier footprint");
    }

    [Fact]
    public async Task A_site_footprint_over_the_cap_of_positions_or_parts_is_400_naming_footprint()
    {
        var lot = fixture.Lots[4];
        var centre = lot.Geometry.Centroid;
        string Body(string footprint) =>
            $$"""{"permitNumber":"GPXD-CAP/2026","parcelId":{{lot.Id}},"zone":"normal","footprint":{{footprint}}}""";

        using var positions = await fixture.SendTextAsync(HttpMethod.Post, "/api/sites", "officer",
            Body(Polygon(Circle(centre.X, centre.Y, 0.00002, 20_000))));
        using var parts = await fixture.SendTextAsync(HttpMethod.Post, "/api/sites", "officer",
            Body(Squares(centre.X, centre.Y, 0.0000001, GeoJsonInput.MaxParts + 1)));

        await Problem.BadInputAsync(positions, "footprint", "20,000-position site footprint");
        var problem = await Problem.BadInputAsync(parts, "footprint", "site footprint of MaxParts + 1 squares");
        Assert.Contains(GeoJsonInput.MaxParts.ToString(CultureInfo.InvariantCulture), problem.GetProperty("errors").GetProperty("footprint")[0].GetString(), StringComparison.Ordinal);
    }
}
