using HcmCity.Gis.Compliance;
using NetTopologySuite.Geometries;
using static HcmCity.Gis.Tests.Compliance.Lots;

namespace HcmCity.Gis.Tests.Compliance;

/// <summary>
/// Property tests of the compliance engine on hostile geometries (seeded; the seed is printed): random rings of 0 to
/// 40 positions with NaN, infinite, 1e308 and degree-sized coordinates, self-intersections and reversed winding, as
/// footprint and as parcel. The engine either names the bad field (a <see cref="SitePlanValidationException"/>) or
/// returns a report whose numbers are all finite; it never throws anything else.
/// </summary>
public sealed class HostileGeometryPropertyTests
{
    private const int Cases = 2000;

    private static double Coordinate(Random random, double origin) => random.Next(12) switch
    {
        0 => double.NaN,
        1 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        2 => random.Next(2) == 0 ? 1e308 : -1e308,
        3 => double.MaxValue,
        4 => random.NextDouble() * 180, // degrees
        5 => origin + 1e7,
        _ => origin + (random.NextDouble() * 20), // on the lot
    };

    private static Polygon? RandomPolygon(Random random)
    {
        var count = random.Next(0, 41);
        var hostile = random.Next(3) == 0;
        var positions = Enumerable.Range(0, count)
            .Select(_ => hostile
                ? new Coordinate(Coordinate(random, E), Coordinate(random, N))
                : new Coordinate(E + (random.NextDouble() * 10), N + (random.NextDouble() * 20)))
            .ToList();
        if (count > 0 && random.Next(4) != 0)
        {
            positions.Add(positions[0].Copy()); // closed, usually
        }
        try
        {
            return Factory.CreatePolygon([.. positions]);
        }
        catch (ArgumentException)
        {
            return null; // NTS itself refuses the ring (unclosed, too short): never reaches the engine
        }
    }

    [Fact]
    public void The_engine_names_the_field_or_reports_finite_numbers_for_any_footprint_and_parcel()
    {
        const int Seed = 19_2026;
        TestContext.Current.TestOutputHelper?.WriteLine($"Seed {Seed}");
        var random = new Random(Seed);
        var (typicalParcel, typicalPlan) = Typical();
        var reports = 0;
        for (var i = 0; i < Cases; i++)
        {
            var asParcel = i % 2 == 1;
            var polygon = RandomPolygon(random);
            if (polygon is null)
            {
                continue;
            }
            if (random.Next(2) == 0)
            {
                polygon = (Polygon)polygon.Reverse();
            }
            var parcel = asParcel ? typicalParcel with { Geometry = polygon } : typicalParcel;
            var plan = asParcel ? typicalPlan : typicalPlan with { Footprint = polygon };
            try
            {
                var report = Check(parcel, plan);
                reports++;
                Assert.All(report.Findings, f => Assert.True(
                    (f.Actual is null || double.IsFinite(f.Actual.Value)) && (f.Limit is null || double.IsFinite(f.Limit.Value)),
                    $"case {i}: {f.Rule} has a non-finite number for {polygon}"));
            }
            catch (SitePlanValidationException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error => Assert.Contains(error.Field, new[] { "footprint", "parcel.geometry" }));
            }
        }
        Assert.True(reports > 0, "no generated geometry was valid: the property says nothing about reports");
    }

    [Fact]
    public void Coordinates_beyond_any_projected_crs_are_named_even_when_finite()
    {
        var (parcel, plan) = Typical();
        var huge = Factory.CreatePolygon(
        [
            new Coordinate(E, N), new Coordinate(1e308, N), new Coordinate(E + 5, N + 18), new Coordinate(E, N + 18), new Coordinate(E, N),
        ]);

        var errors = SitePlanValidation.Validate(parcel, plan with { Footprint = huge });

        var error = Assert.Single(errors);
        Assert.Equal("footprint", error.Field);
        Assert.Contains("20000000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clockwise_footprint_is_checked_exactly_like_the_counter_clockwise_one()
    {
        var (parcel, plan) = Typical();
        var ccw = Check(parcel, plan);
        var cw = Check(parcel, plan with { Footprint = plan.Footprint.Reverse() });

        Assert.Equal(ccw.Verdict, cw.Verdict);
        Assert.Equal(ccw.Findings.Select(f => (f.Rule, f.Status, f.Actual, f.Limit)), cw.Findings.Select(f => (f.Rule, f.Status, f.Actual, f.Limit)));
    }
}
