using HcmCity.Gis.Parcels;
using HcmCity.LandRecords.Synthetic;
using NetTopologySuite.Index.Strtree;

namespace HcmCity.Gis.Tests.Synthetic;

public sealed class SyntheticCityTests
{
    private static readonly SyntheticCity Demo = SyntheticCity.Generate(new SyntheticCityOptions { Seed = 11, ParcelCount = 5_000 });
    private static readonly List<SyntheticParcel> DemoLots = Demo.Lots.ToList();

    [Fact]
    public void Same_seed_gives_the_same_city_and_another_seed_a_different_one()
    {
        var again = SyntheticCity.Generate(new SyntheticCityOptions { Seed = 11, ParcelCount = 5_000 }).Lots.ToList();
        var other = SyntheticCity.Generate(new SyntheticCityOptions { Seed = 12, ParcelCount = 5_000 }).Lots.ToList();

        Assert.Equal(DemoLots.Count, again.Count);
        for (var i = 0; i < DemoLots.Count; i++)
        {
            Assert.Equal(DemoLots[i].Parcel.Key, again[i].Parcel.Key);
            Assert.Equal(DemoLots[i].Parcel.LandUse, again[i].Parcel.LandUse);
            Assert.True(DemoLots[i].Parcel.SourceGeometry.EqualsExact(again[i].Parcel.SourceGeometry));
        }

        Assert.Contains(
            Enumerable.Range(0, 100),
            i => !DemoLots[i].Parcel.SourceGeometry.EqualsExact(other[i].Parcel.SourceGeometry));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5_000)]
    [InlineData(60_000)]
    public void Generates_exactly_the_requested_number_of_parcels(int count)
    {
        var city = SyntheticCity.Generate(new SyntheticCityOptions { ParcelCount = count });

        Assert.Equal(count, city.Parcels.Count());
        Assert.Equal(count, city.Wards.Sum(w => w.ParcelCount));
    }

    [Fact]
    public void Keys_are_unique_and_belong_to_the_wards()
    {
        var codes = Demo.Wards.Select(w => w.Code).ToHashSet();

        Assert.Equal(DemoLots.Count, DemoLots.Select(l => l.Parcel.Key).Distinct().Count());
        Assert.All(DemoLots, l => Assert.Contains(l.Parcel.Key.Unit, codes));
        Assert.All(Demo.Wards, w => Assert.Matches("^[0-9]{5}$", w.Code));
        Assert.Equal(Demo.Wards.Count, codes.Count);
        Assert.Equal(("26743", "Phường Bến Thành"), (Demo.Wards[0].Code, Demo.Wards[0].Name));
    }

    [Fact]
    public void Parcel_numbers_run_from_one_on_each_map_sheet()
    {
        foreach (var sheet in DemoLots.GroupBy(l => (l.Parcel.Key.Unit, l.Parcel.Key.Sheet)))
        {
            var numbers = sheet.Select(l => int.Parse(l.Parcel.Key.Number, System.Globalization.CultureInfo.InvariantCulture)).Order();
            Assert.Equal(Enumerable.Range(1, sheet.Count()), numbers);
        }
    }

    [Fact]
    public void Lots_have_frontage_depth_and_area_of_row_house_lots()
    {
        Assert.All(DemoLots, l =>
        {
            Assert.InRange(l.Frontage, SyntheticCity.MinFrontage - 0.002, SyntheticCity.MaxFrontage + 0.002);
            Assert.InRange(l.Parcel.Area, SyntheticCity.MinArea, SyntheticCity.MaxArea);
            Assert.Equal(Math.Round(l.Parcel.Area, 1), l.Parcel.RegisteredArea);
            Assert.InRange(l.Depth, 9, 45);
        });
        var town = DemoLots.Where(l => l.Parcel.LandUse == "ODT").ToList();
        Assert.True(town.Count(l => l.Parcel.Area is >= 40 and <= 120) > 0.6 * town.Count);
    }

    [Fact]
    public void Every_lot_faces_a_planned_road_width()
    {
        double[] widths = [3.5, 6, 12, 16, 20, 25, 30];

        Assert.All(DemoLots, l => Assert.Contains(l.RoadWidth, widths));
        Assert.All(DemoLots, l => Assert.False(string.IsNullOrWhiteSpace(l.StreetName)));
        Assert.True(DemoLots.Select(l => l.RoadWidth).Distinct().Count() >= 5);
    }

    [Fact]
    public void Geometries_are_valid_polygons_in_vn2000_and_wgs84_inside_hcmc()
    {
        Assert.All(DemoLots, l =>
        {
            var p = l.Parcel;
            Assert.Equal(9210, p.SourceSrid);
            Assert.Equal(9210, p.SourceGeometry.SRID);
            Assert.Equal(4326, p.Geometry.SRID);
            Assert.Equal("Polygon", p.SourceGeometry.GeometryType);
            Assert.True(p.SourceGeometry.IsValid);
            Assert.True(p.Geometry.IsValid);
            var e = p.Geometry.EnvelopeInternal;
            Assert.InRange(e.MinX, 106.35, 107.05);
            Assert.InRange(e.MaxX, 106.35, 107.05);
            Assert.InRange(e.MinY, 10.35, 11.15);
            Assert.InRange(e.MaxY, 10.35, 11.15);
        });
    }

    [Fact]
    public void Lots_do_not_overlap_beyond_a_sliver()
    {
        var tree = new STRtree<Parcel>();
        foreach (var lot in DemoLots)
        {
            tree.Insert(lot.Parcel.SourceGeometry.EnvelopeInternal, lot.Parcel);
        }

        foreach (var lot in DemoLots.Where((_, i) => i % 10 == 0))
        {
            var geometry = lot.Parcel.SourceGeometry;
            foreach (var other in tree.Query(geometry.EnvelopeInternal))
            {
                if (!ReferenceEquals(other, lot.Parcel))
                {
                    Assert.True(geometry.Intersection(other.SourceGeometry).Area < 0.01, $"{lot.Parcel.Key} overlaps {other.Key}");
                }
            }
        }
    }

    [Fact]
    public void Land_use_is_mostly_urban_residential_with_commerce_schools_and_fringe_farmland()
    {
        var uses = DemoLots.GroupBy(l => LandUseCodes.Principal(l.Parcel.LandUse)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal("ODT", uses.MaxBy(kv => kv.Value).Key);
        Assert.True(uses["ODT"] > DemoLots.Count / 2);
        Assert.All(["TMD", "DGD", "ONT", "CLN", "HNK", "LUC"], code => Assert.True(uses.ContainsKey(code), code));
        Assert.DoesNotContain("DGT", uses.Keys);
        Assert.All(
            DemoLots.Where(l => l.Parcel.LandUse is "LUC" or "HNK" or "ONT"),
            l => Assert.StartsWith("Xã ", Demo.Wards.Single(w => w.Code == l.Parcel.Key.Unit).Name));
    }

    [Fact]
    public void Wards_tile_the_city_and_contain_their_parcels()
    {
        var byCode = Demo.Wards.ToDictionary(w => w.Code);

        Assert.All(Demo.Wards, w =>
        {
            Assert.Equal(4326, w.Boundary.SRID);
            Assert.True(w.Boundary.IsValid);
            Assert.Equal(1_000_000, w.SourceBoundary.Area, 1);
        });
        Assert.All(DemoLots.Where((_, i) => i % 25 == 0), l =>
            Assert.True(byCode[l.Parcel.Key.Unit].SourceBoundary.Covers(l.Parcel.SourceGeometry)));
        Assert.Equal(9, Demo.Wards.Count);
    }

    [Fact]
    public void Streets_are_not_built_on_and_lots_touch_the_street_they_face()
    {
        var streets = Demo.Streets.ToList();
        var roads = new STRtree<NetTopologySuite.Geometries.Geometry>();
        foreach (var street in streets)
        {
            var road = street.CentreLine.Buffer(street.Width / 2 - 0.01, NetTopologySuite.Operation.Buffer.EndCapStyle.Flat);
            roads.Insert(road.EnvelopeInternal, road);
        }

        Assert.All(streets, s => Assert.Equal(4326, s.Geometry.SRID));
        foreach (var lot in DemoLots.Where((_, i) => i % 20 == 0))
        {
            var geometry = lot.Parcel.SourceGeometry;
            foreach (var road in roads.Query(geometry.EnvelopeInternal))
            {
                Assert.True(geometry.Intersection(road).Area < 0.01, $"{lot.Parcel.Key} is built on a road");
            }

            var facing = streets.Where(s => s.Name == lot.StreetName && s.Width == lot.RoadWidth);
            Assert.Contains(facing, s => s.CentreLine.Distance(geometry) <= s.Width / 2 + 0.01);
        }
    }

    [Fact]
    public void A_city_of_hcmc_size_lays_out_within_the_city_bounds()
    {
        var city = SyntheticCity.Generate(new SyntheticCityOptions { ParcelCount = 2_500_000 });

        Assert.Equal(2_500_000, city.Wards.Sum(w => w.ParcelCount));
        Assert.All(city.Wards, w =>
        {
            var e = w.Boundary.EnvelopeInternal;
            Assert.InRange(e.MinX, 106.35, 107.05);
            Assert.InRange(e.MaxY, 10.35, 11.15);
        });
        Assert.True(city.Wards.Count(w => w.IsUrban) > city.Wards.Count / 3);
    }
}
