using System.Globalization;
using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;

using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>
/// A synthetic Ho Chi Minh City for the embedded demo and the benchmarks: wards of street blocks lined with
/// row-house lots, surveyed in VN-2000 / TM-3 105-45 (EPSG:9210) like HCMC's cadastral maps. Deterministic by
/// seed. <see cref="Lots"/> and <see cref="Parcels"/> stream: each enumeration regenerates the lots, so 2.5
/// million parcels never sit in memory at once unless the caller keeps them.
/// </summary>
public sealed class SyntheticCity
{
    /// <summary>Lot bounds of the generator: frontage 3-12 m, area 30-500 m² (mostly 40-120 m² in town).</summary>
    public const double MinFrontage = 3;
    public const double MaxFrontage = 12;
    public const double MinArea = 30;
    public const double MaxArea = 500;

    /// <summary>
    /// Back corners of a lot move sideways by up to this share of its frontage (and at most 0.4 m), so lots are
    /// not all perfect rectangles; neighbours share the moved corner, so they still never overlap.
    /// </summary>
    private const double CornerJitterShare = 0.1;
    private const double MaxCornerJitter = 0.4;

    private const double UrbanWeight = 4;

    private readonly WardPlan[] _plans;
    private readonly int[] _quotas;

    private SyntheticCity(SyntheticCityOptions options, WardPlan[] plans, int[] quotas, int rings)
    {
        Options = options;
        _plans = plans;
        _quotas = quotas;
        Rings = rings;
        Wards = Array.ConvertAll(plans, plan => Ward(plan, quotas[plan.Index]));
    }

    public SyntheticCityOptions Options { get; }

    /// <summary>Rings of ward cells around the centre ward (0 = the centre ward alone).</summary>
    public int Rings { get; }

    /// <summary>Wards and communes, centre first, with their WGS 84 boundaries.</summary>
    public IReadOnlyList<SyntheticWard> Wards { get; }

    /// <summary>The parcels, streamed.</summary>
    public IEnumerable<Parcel> Parcels
    {
        get
        {
            foreach (var lot in Lots)
            {
                yield return lot.Parcel;
            }
        }
    }

    /// <summary>The parcels with the road in front of each, streamed; ward by ward, centre first.</summary>
    public IEnumerable<SyntheticParcel> Lots
    {
        get
        {
            foreach (var plan in _plans)
            {
                foreach (var lot in LotsOf(plan, _quotas[plan.Index]))
                {
                    yield return lot;
                }
            }
        }
    }

    /// <summary>Street centre lines with their widths: arterials on ward edges (each once) and local streets.</summary>
    public IEnumerable<SyntheticStreet> Streets
    {
        get
        {
            foreach (var plan in _plans)
            {
                foreach (var street in StreetsOf(plan))
                {
                    yield return street;
                }
            }
        }
    }

    /// <summary>
    /// Lays out the city: as many rings of wards as <see cref="SyntheticCityOptions.ParcelCount"/> needs, and
    /// each ward's share of the parcels in proportion to what its blocks hold. No lot is built here.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options, or more parcels than HCMC has room for.</exception>
    public static SyntheticCity Generate(SyntheticCityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // A ward of 1 km² holds roughly 9,000 town lots; starting there skips rings that surely are too few.
        var estimate = (int)Math.Ceiling((Math.Sqrt(options.ParcelCount / 9_000.0 * 1e6 / (options.WardSize * options.WardSize)) - 1) / 2);
        for (var rings = Math.Max(options.MinimumRings, estimate); rings <= SyntheticCityOptions.MaxRings; rings++)
        {
            var plans = Plan(options, rings);
            long capacity = 0;
            foreach (var plan in plans)
            {
                capacity += plan.Capacity;
            }

            if (capacity >= options.ParcelCount)
            {
                return new SyntheticCity(options, plans, Quotas(plans, options.ParcelCount), rings);
            }
        }

        throw new ArgumentOutOfRangeException(
            nameof(options), options.ParcelCount, "More parcels than the synthetic city can hold within HCMC.");
    }

    private static WardPlan[] Plan(SyntheticCityOptions options, int rings)
    {
        var cells = new List<(int I, int J, int Ring, double Angle)>();
        for (var i = -rings; i <= rings; i++)
        {
            for (var j = -rings; j <= rings; j++)
            {
                // Clockwise from north within each ring, like reading a map around its centre.
                var angle = (Math.Atan2(i, j) + 2 * Math.PI) % (2 * Math.PI);
                cells.Add((i, j, Math.Max(Math.Abs(i), Math.Abs(j)), angle));
            }
        }

        cells.Sort(static (a, b) => a.Ring != b.Ring ? a.Ring.CompareTo(b.Ring) : a.Angle.CompareTo(b.Angle));
        var plans = new WardPlan[cells.Count];
        int urban = 0, rural = 0;
        for (var index = 0; index < cells.Count; index++)
        {
            var (i, j, ring, _) = cells[index];
            var isUrban = ring <= options.UrbanShare * rings;
            plans[index] = new WardPlan(options, index, i, j, ring, isUrban, isUrban ? urban++ : rural++);
        }

        return plans;
    }

    /// <summary>
    /// Each ward's share of the parcels: in proportion to what it holds, town wards weighted
    /// <see cref="UrbanWeight"/> times, so that a small city is still mostly urban residential; never more than
    /// a ward holds (the rest goes round the wards that have room).
    /// </summary>
    private static int[] Quotas(WardPlan[] plans, int parcelCount)
    {
        var weight = 0.0;
        foreach (var plan in plans)
        {
            weight += plan.Capacity * (plan.IsUrban ? UrbanWeight : 1);
        }

        var quotas = new int[plans.Length];
        long assigned = 0;
        for (var k = 0; k < plans.Length; k++)
        {
            var share = plans[k].Capacity * (plans[k].IsUrban ? UrbanWeight : 1) / weight;
            quotas[k] = Math.Min(plans[k].Capacity, (int)(parcelCount * share));
            assigned += quotas[k];
        }

        for (var k = 0; assigned < parcelCount; k = (k + 1) % plans.Length)
        {
            if (quotas[k] < plans[k].Capacity)
            {
                quotas[k]++;
                assigned++;
            }
        }

        return quotas;
    }

    private IEnumerable<SyntheticParcel> LotsOf(WardPlan plan, int quota)
    {
        var seed = Options.Seed;
        var sheetCounters = new int[plan.SheetColumns * plan.SheetColumns];
        var sheetNames = new string[sheetCounters.Length];
        for (var s = 0; s < sheetNames.Length; s++)
        {
            sheetNames[s] = (s + 1).ToString(CultureInfo.InvariantCulture);
        }

        var frontages = new List<double>();
        var produced = 0;
        foreach (var block in plan.BlockOrder)
        {
            var r = block / plan.Columns;
            var c = block % plan.Columns;
            for (var side = 0; side < 2 && produced < quota; side++)
            {
                var depth = side == 0 ? plan.NorthDepth[r] : plan.SouthDepth[r];
                var frontageStream = plan.FrontageStream(seed, block, side);
                WardPlan.SplitFrontage(ref frontageStream, plan.BlockWidth[c], depth, plan.IsUrban, frontages);
                var count = Math.Min(frontages.Count, quota - produced);
                if (count == 0)
                {
                    continue;
                }

                var blockSide = new BlockSide(plan, r, c, side, depth, frontages);
                var detail = plan.DetailStream(seed, block, side);
                foreach (var lot in blockSide.Build(ref detail, count, sheetCounters, sheetNames, Options.SheetSize))
                {
                    yield return lot;
                }

                produced += count;
            }

            if (produced >= quota)
            {
                yield break;
            }
        }
    }

    private IEnumerable<SyntheticStreet> StreetsOf(WardPlan plan)
    {
        var west = plan.X0 + plan.WestWidth / 2;
        var east = plan.X1 - plan.EastWidth / 2;
        var south = plan.Y0 + plan.SouthWidth / 2;
        var north = plan.Y1 - plan.NorthWidth / 2;

        // Each arterial segment belongs to the ward south or east of it; the outermost rings add their own edge.
        yield return Street(plan.NorthName, plan.NorthWidth, plan.X0, plan.Y1, plan.X1, plan.Y1);
        yield return Street(plan.WestName, plan.WestWidth, plan.X0, plan.Y0, plan.X0, plan.Y1);
        if (plan.J == -Rings)
        {
            yield return Street(plan.SouthName, plan.SouthWidth, plan.X0, plan.Y0, plan.X1, plan.Y0);
        }

        if (plan.I == Rings)
        {
            yield return Street(plan.EastName, plan.EastWidth, plan.X1, plan.Y0, plan.X1, plan.Y1);
        }

        for (var k = 1; k < plan.StreetY.Length - 1; k++)
        {
            yield return Street(plan.StreetName[k], plan.StreetWidth[k], west, plan.StreetY[k], east, plan.StreetY[k]);
        }

        for (var k = 1; k < plan.AvenueX.Length - 1; k++)
        {
            yield return Street(plan.AvenueName[k], plan.AvenueWidth[k], plan.AvenueX[k], south, plan.AvenueX[k], north);
        }
    }

    private static SyntheticStreet Street(string name, double width, double x0, double y0, double x1, double y1)
    {
        var line = GeometryFactories.For(Srid.HcmcTm3).CreateLineString([new Coordinate(x0, y0), new Coordinate(x1, y1)]);
        return new SyntheticStreet(name, width, line, (LineString)CrsTransforms.Transform(line, Srid.Wgs84));
    }

    private static SyntheticWard Ward(WardPlan plan, int quota)
    {
        var cell = GeometryFactories.For(Srid.HcmcTm3).CreatePolygon(
        [
            new Coordinate(plan.X0, plan.Y0),
            new Coordinate(plan.X1, plan.Y0),
            new Coordinate(plan.X1, plan.Y1),
            new Coordinate(plan.X0, plan.Y1),
            new Coordinate(plan.X0, plan.Y0),
        ]);
        return new SyntheticWard(
            plan.Code, plan.Name, plan.IsUrban, quota, (Polygon)CrsTransforms.Transform(cell, Srid.Wgs84), cell);
    }

    /// <summary>
    /// One side of a block: a row of lots between the street line (front) and the block's middle line (back).
    /// Corners are transformed to WGS 84 in one bulk call per side, each shared corner once.
    /// </summary>
    private sealed class BlockSide(WardPlan plan, int row, int column, int side, double depth, List<double> frontages)
    {
        public IEnumerable<SyntheticParcel> Build(
            ref SplitMix64 detail, int count, int[] sheetCounters, string[] sheetNames, double sheetSize)
        {
            var north = side == 0;
            var streetIndex = north ? row : row + 1;
            var roadWidth = plan.StreetWidth[streetIndex];
            var streetName = plan.StreetName[streetIndex];
            var frontY = north
                ? plan.StreetY[row] - plan.StreetWidth[row] / 2
                : plan.StreetY[row + 1] + plan.StreetWidth[row + 1] / 2;
            var yFront = Math.Round(frontY, 3);
            var yBack = Math.Round(north ? frontY - depth : frontY + depth, 3);

            // Points 0..n on the front line, n+1..2n+1 on the back line; source copies kept for the legal record.
            var n = frontages.Count;
            var sx = new double[2 * (n + 1)];
            var sy = new double[2 * (n + 1)];
            var x = plan.BlockLeft[column];
            for (var k = 0; k <= n; k++)
            {
                var jitter = 0.0;
                if (k > 0 && k < n)
                {
                    var limit = Math.Min(MaxCornerJitter, CornerJitterShare * Math.Min(frontages[k - 1], frontages[k]));
                    jitter = detail.Between(-limit, limit);
                }

                sx[k] = Math.Round(x, 3);
                sy[k] = yFront;
                sx[n + 1 + k] = Math.Round(x + jitter, 3);
                sy[n + 1 + k] = yBack;
                if (k < n)
                {
                    x += frontages[k];
                }
            }

            var wx = (double[])sx.Clone();
            var wy = (double[])sy.Clone();
            CrsTransforms.TransformInPlace(wx, wy, Srid.HcmcTm3, Srid.Wgs84);

            var lots = new SyntheticParcel[count];
            var source = GeometryFactories.For(Srid.HcmcTm3);
            var wgs84 = GeometryFactories.For(Srid.Wgs84);
            var order = new int[5];
            for (var k = 0; k < count; k++)
            {
                // Counter-clockwise rings from the front-left corner: a, b front; d, c back (left, right).
                int a = k, b = k + 1, c = n + 2 + k, d = n + 1 + k;
                (order[0], order[1], order[2], order[3], order[4]) = north ? (a, d, c, b, a) : (a, b, c, d, a);
                var sourceRing = new Coordinate[5];
                var wgs84Ring = new Coordinate[5];
                for (var p = 0; p < 5; p++)
                {
                    sourceRing[p] = new Coordinate(sx[order[p]], sy[order[p]]);
                    wgs84Ring[p] = new Coordinate(wx[order[p]], wy[order[p]]);
                }

                var sourcePolygon = source.CreatePolygon(sourceRing);
                var area = sourcePolygon.Area;
                var landUse = LandUse(ref detail, plan.IsUrban, roadWidth, frontages[k]);

                var sheet = Sheet((sx[a] + sx[b]) / 2, yFront, sheetSize);
                var number = ++sheetCounters[sheet];
                var parcel = new Parcel
                {
                    Key = new ParcelKey(plan.Code, sheetNames[sheet], number.ToString(CultureInfo.InvariantCulture)),
                    LandUse = landUse,
                    RegisteredArea = Math.Round(area, 1),
                    Area = area,
                    SourceSrid = Srid.HcmcTm3,
                    SourceGeometry = sourcePolygon,
                    Geometry = wgs84.CreatePolygon(wgs84Ring),
                };
                lots[k] = new SyntheticParcel(parcel, roadWidth, streetName, sx[b] - sx[a], Math.Abs(yFront - yBack));
            }

            return lots;
        }

        /// <summary>Map sheets are numbered row by row from the north-west corner of the ward.</summary>
        private int Sheet(double x, double y, double sheetSize)
        {
            var columns = plan.SheetColumns;
            var col = Math.Clamp((int)((x - plan.X0) / sheetSize), 0, columns - 1);
            var row = Math.Clamp((int)((plan.Y1 - y) / sheetSize), 0, columns - 1);
            return row * columns + col;
        }

        /// <summary>
        /// Town: mostly urban residential (ODT), shops (TMD) along wide streets, a few schools (DGD) on wide lots.
        /// Fringe communes: rural residential (ONT), often with perennial crops, crops and rice fields, fish ponds.
        /// Codes of Circular 08/2024/TT-BTNMT Appendix II.
        /// </summary>
        private static string LandUse(ref SplitMix64 detail, bool isUrban, double roadWidth, double frontage)
        {
            var r = detail.NextDouble();
            if (isUrban)
            {
                var commercial = roadWidth >= 20 ? 0.25 : roadWidth >= 12 ? 0.08 : 0.02;
                var school = frontage >= 6 && roadWidth >= 6 ? 0.03 : 0;
                return r < commercial ? "TMD" : r < commercial + school ? "DGD" : "ODT";
            }

            return r switch
            {
                < 0.40 => "ONT",
                < 0.55 => "ONT+CLN",
                < 0.70 => "CLN",
                < 0.82 => "HNK",
                < 0.93 => "LUC",
                < 0.96 => "NTS",
                < 0.98 => "TMD",
                _ => "DGD",
            };
        }
    }
}
