using HcmCity.Gis.Parcels;

namespace HcmCity.LandRecords.Synthetic;

/// <summary>
/// The street grid of one ward cell, in EPSG:9210 metres. Blocks lie between east-west streets (rows) and
/// north-south streets (columns); each block holds two rows of lots back to back, the north row fronting the
/// street above, the south row the street below. Everything here is drawn from streams derived from the seed
/// and the cell, so a plan can be rebuilt alone.
/// </summary>
internal sealed class WardPlan
{
    /// <summary>Planned widths (lộ giới) of arterials on the cell edges, and their weights.</summary>
    private static readonly double[] ArterialWidths = [16, 20, 25, 30];
    private static readonly double[] ArterialWeights = [0.2, 0.35, 0.3, 0.15];

    private static readonly double[] UrbanRowStreets = [3.5, 6, 12, 16, 20];
    private static readonly double[] UrbanRowWeights = [0.2, 0.35, 0.25, 0.12, 0.08];
    private static readonly double[] RuralRowStreets = [3.5, 6, 12, 16];
    private static readonly double[] RuralRowWeights = [0.3, 0.45, 0.2, 0.05];
    /// <summary>
    /// Every ward has a main street through its middle (a boulevard in town, a wider road in a commune), so even
    /// a part-filled ward, built from the centre out, has lots on a wide road.
    /// </summary>
    private static readonly double[] MainStreets = [20, 25, 30];
    private static readonly double[] MainStreetWeights = [0.4, 0.35, 0.25];
    private static readonly double[] MainRoads = [12, 16];
    private static readonly double[] MainRoadWeights = [0.6, 0.4];
    private static readonly double[] UrbanColumnStreets = [6, 12, 16, 20];
    private static readonly double[] UrbanColumnWeights = [0.3, 0.4, 0.2, 0.1];
    private static readonly double[] RuralColumnStreets = [6, 12, 16];
    private static readonly double[] RuralColumnWeights = [0.5, 0.4, 0.1];

    /// <summary>Block depth (two lots back to back) aimed at: row houses ~16 m deep in town, ~28 m on the fringe.</summary>
    private const double UrbanRowDepth = 32;
    private const double RuralRowDepth = 56;
    private const double MinRowDepth = 27;
    private const double MaxRowDepth = 67;
    private const double UrbanBlockWidth = 140;
    private const double RuralBlockWidth = 220;

    public WardPlan(SyntheticCityOptions options, int index, int i, int j, int ring, bool isUrban, int kindOrdinal)
    {
        Index = index;
        I = i;
        J = j;
        Ring = ring;
        IsUrban = isUrban;
        (Code, Name) = Names.Unit(isUrban, kindOrdinal, index);

        var size = options.WardSize;
        X0 = options.CentreEasting + (i - 0.5) * size;
        X1 = X0 + size;
        Y0 = options.CentreNorthing + (j - 0.5) * size;
        Y1 = Y0 + size;

        var seed = options.Seed;
        WestWidth = ArterialWidth(seed, 0, i);
        EastWidth = ArterialWidth(seed, 0, i + 1);
        SouthWidth = ArterialWidth(seed, 1, j);
        NorthWidth = ArterialWidth(seed, 1, j + 1);
        WestName = Names.Street(seed, 0, i);
        EastName = Names.Street(seed, 0, i + 1);
        SouthName = Names.Street(seed, 1, j);
        NorthName = Names.Street(seed, 1, j + 1);

        var rng = SplitMix64.Derive(seed, SplitMix64.Purpose.Ward, i, j);
        (StreetY, StreetWidth, NorthDepth, SouthDepth) = LayOutRows(ref rng);
        (AvenueX, AvenueWidth, BlockLeft, BlockWidth) = LayOutColumns(ref rng);
        StreetName = StreetNames(seed, StreetY.Length, 2, NorthName);
        AvenueName = StreetNames(seed, AvenueX.Length, 3, WestName);
        StreetName[0] = NorthName;
        StreetName[^1] = SouthName;
        AvenueName[0] = WestName;
        AvenueName[^1] = EastName;

        SheetColumns = (int)Math.Ceiling(size / options.SheetSize);
        BlockOrder = CentreOutOrder();
        Capacity = CountLots(seed);
    }

    public int Index { get; }
    public int I { get; }
    public int J { get; }
    public int Ring { get; }
    public bool IsUrban { get; }
    public string Code { get; }
    public string Name { get; }
    public double X0 { get; }
    public double X1 { get; }
    public double Y0 { get; }
    public double Y1 { get; }
    public double WestWidth { get; }
    public double EastWidth { get; }
    public double SouthWidth { get; }
    public double NorthWidth { get; }
    public string WestName { get; }
    public string EastName { get; }
    public string SouthName { get; }
    public string NorthName { get; }

    /// <summary>Centre lines of east-west streets, north to south: [0] the north arterial, [^1] the south one.</summary>
    public double[] StreetY { get; }
    public double[] StreetWidth { get; }
    public string[] StreetName { get; }

    /// <summary>Lot depth of the north and south halves of each block row.</summary>
    public double[] NorthDepth { get; }
    public double[] SouthDepth { get; }

    /// <summary>Centre lines of north-south streets, west to east: [0] the west arterial, [^1] the east one.</summary>
    public double[] AvenueX { get; }
    public double[] AvenueWidth { get; }
    public string[] AvenueName { get; }
    public double[] BlockLeft { get; }
    public double[] BlockWidth { get; }

    /// <summary>Blocks (row × columns + column) nearest the ward centre first, so a part-filled ward is compact.</summary>
    public int[] BlockOrder { get; }

    public int SheetColumns { get; }
    public int Capacity { get; }
    public int Rows => NorthDepth.Length;
    public int Columns => BlockWidth.Length;

    /// <summary>The frontage stream of one side of one block (0 north, 1 south).</summary>
    public SplitMix64 FrontageStream(int seed, int block, int side) =>
        SplitMix64.Derive(seed, SplitMix64.Purpose.Frontage, (long)I << 32 | (uint)J, block, side);

    /// <summary>The stream for land use and lot-line jitter of one side of one block.</summary>
    public SplitMix64 DetailStream(int seed, int block, int side) =>
        SplitMix64.Derive(seed, SplitMix64.Purpose.Detail, (long)I << 32 | (uint)J, block, side);

    /// <summary>
    /// Splits a block side into lot frontages, 3-12 m and bounded so that area stays within 30-500 m² for a lot
    /// of <paramref name="depth"/> whose back corners move by up to 10 % of the frontage (see the generator).
    /// </summary>
    public static void SplitFrontage(ref SplitMix64 rng, double width, double depth, bool isUrban, List<double> frontages)
    {
        frontages.Clear();
        var min = Math.Max(SyntheticCity.MinFrontage, SyntheticCity.MinArea / (0.9 * depth));
        var max = Math.Min(SyntheticCity.MaxFrontage, SyntheticCity.MaxArea / (1.1 * depth));
        var used = 0.0;
        while (true)
        {
            var f = Math.Round(Math.Clamp(DrawFrontage(ref rng, isUrban), min, max), 2);
            if (used + f > width)
            {
                break;
            }

            frontages.Add(f);
            used += f;
        }

        var rest = width - used;
        if (rest >= min)
        {
            frontages.Add(rest);
        }
        else if (frontages.Count > 0)
        {
            // A sliver left at the block end joins the last lot, or both share it evenly when that lot would
            // grow too wide (2 × min ≤ max holds for every depth used, so both halves stay in range).
            var merged = frontages[^1] + rest;
            if (merged <= max)
            {
                frontages[^1] = merged;
            }
            else
            {
                frontages[^1] = merged / 2;
                frontages.Add(merged / 2);
            }
        }
    }

    /// <summary>Row houses (nhà phố) are mostly 4-5 m wide in HCMC; fringe lots are wider.</summary>
    private static double DrawFrontage(ref SplitMix64 rng, bool isUrban)
    {
        if (!isUrban)
        {
            return rng.Between(6, 12);
        }

        var r = rng.NextDouble();
        return r switch
        {
            < 0.03 => rng.Between(3, 3.8),
            < 0.73 => rng.Between(3.8, 5.2),
            < 0.93 => rng.Between(5.2, 8),
            _ => rng.Between(8, 12),
        };
    }

    private static double ArterialWidth(int seed, long axis, long line)
    {
        var rng = SplitMix64.Derive(seed, SplitMix64.Purpose.Arterial, axis, line);
        return rng.Pick(ArterialWidths, ArterialWeights);
    }

    private (double[] StreetY, double[] Width, double[] North, double[] South) LayOutRows(ref SplitMix64 rng)
    {
        var top = Y1 - NorthWidth / 2;
        var bottom = Y0 + SouthWidth / 2;
        var height = top - bottom;
        var target = IsUrban ? UrbanRowDepth : RuralRowDepth;
        var values = IsUrban ? UrbanRowStreets : RuralRowStreets;
        var weights = IsUrban ? UrbanRowWeights : RuralRowWeights;

        var widths = new List<double>();
        var rows = Math.Max(1, (int)Math.Round((height + 8) / (target + 8)));
        // Row count moves towards a block depth within range; a handful of steps always suffices for cells of
        // 300 m or more, the bound only guards the loop.
        for (var step = 0; step < 64; step++)
        {
            while (widths.Count < rows - 1)
            {
                widths.Add(rng.Pick(values, weights));
            }

            var depth = (height - Sum(widths, rows - 1)) / rows;
            if (depth < MinRowDepth && rows > 1)
            {
                rows--;
            }
            else if (depth > MaxRowDepth)
            {
                rows++;
            }
            else
            {
                break;
            }
        }

        if (rows >= 2)
        {
            widths[(rows - 2) / 2] = IsUrban ? rng.Pick(MainStreets, MainStreetWeights) : rng.Pick(MainRoads, MainRoadWeights);
        }

        var shares = new double[rows];
        var total = 0.0;
        for (var r = 0; r < rows; r++)
        {
            shares[r] = rng.Between(0.9, 1.1);
            total += shares[r];
        }

        var streetY = new double[rows + 1];
        var streetWidth = new double[rows + 1];
        var north = new double[rows];
        var south = new double[rows];
        streetY[0] = Y1;
        streetWidth[0] = NorthWidth;
        var front = top;
        var blocks = height - Sum(widths, rows - 1);
        for (var r = 0; r < rows; r++)
        {
            var rowDepth = blocks * shares[r] / total;
            north[r] = Math.Round(rowDepth * rng.Between(0.45, 0.55), 3);
            south[r] = rowDepth - north[r];
            var back = front - rowDepth;
            streetWidth[r + 1] = r + 1 < rows ? widths[r] : SouthWidth;
            streetY[r + 1] = r + 1 < rows ? back - streetWidth[r + 1] / 2 : Y0;
            front = back - streetWidth[r + 1];
        }

        return (streetY, streetWidth, north, south);
    }

    private (double[] AvenueX, double[] Width, double[] Left, double[] BlockWidth) LayOutColumns(ref SplitMix64 rng)
    {
        var left = X0 + WestWidth / 2;
        var width = X1 - EastWidth / 2 - left;
        var target = IsUrban ? UrbanBlockWidth : RuralBlockWidth;
        var values = IsUrban ? UrbanColumnStreets : RuralColumnStreets;
        var weights = IsUrban ? UrbanColumnWeights : RuralColumnWeights;
        var columns = Math.Max(1, (int)Math.Round((width + 12) / (target + 12)));

        var avenueWidth = new double[columns + 1];
        avenueWidth[0] = WestWidth;
        avenueWidth[columns] = EastWidth;
        var streets = 0.0;
        for (var c = 1; c < columns; c++)
        {
            avenueWidth[c] = rng.Pick(values, weights);
            streets += avenueWidth[c];
        }

        var shares = new double[columns];
        var total = 0.0;
        for (var c = 0; c < columns; c++)
        {
            shares[c] = rng.Between(0.75, 1.25);
            total += shares[c];
        }

        var avenueX = new double[columns + 1];
        var blockLeft = new double[columns];
        var blockWidth = new double[columns];
        avenueX[0] = X0;
        var x = left;
        for (var c = 0; c < columns; c++)
        {
            blockLeft[c] = x;
            blockWidth[c] = (width - streets) * shares[c] / total;
            x += blockWidth[c];
            avenueX[c + 1] = c + 1 < columns ? x + avenueWidth[c + 1] / 2 : X1;
            x += avenueWidth[c + 1];
        }

        return (avenueX, avenueWidth, blockLeft, blockWidth);
    }

    private string[] StreetNames(int seed, int count, long axis, string arterial)
    {
        var names = new string[count];
        var alley = 0;
        var widths = axis == 2 ? StreetWidth : AvenueWidth;
        for (var k = 0; k < count; k++)
        {
            names[k] = widths[k] <= 6
                ? Names.Alley(alley += 2 * (1 + k % 7), arterial)
                : Names.Street(seed, axis, (long)Index << 16 | (uint)k);
        }

        return names;
    }

    private int[] CentreOutOrder()
    {
        var count = Rows * Columns;
        var order = new int[count];
        var distance = new double[count];
        var cx = (X0 + X1) / 2;
        var cy = (Y0 + Y1) / 2;
        for (var r = 0; r < Rows; r++)
        {
            var y = (StreetY[r] + StreetY[r + 1]) / 2;
            for (var c = 0; c < Columns; c++)
            {
                var x = BlockLeft[c] + BlockWidth[c] / 2;
                var block = r * Columns + c;
                order[block] = block;
                distance[block] = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            }
        }

        Array.Sort(distance, order);
        return order;
    }

    private int CountLots(int seed)
    {
        var frontages = new List<double>();
        var count = 0;
        for (var block = 0; block < Rows * Columns; block++)
        {
            var r = block / Columns;
            var c = block % Columns;
            for (var side = 0; side < 2; side++)
            {
                var rng = FrontageStream(seed, block, side);
                SplitFrontage(ref rng, BlockWidth[c], side == 0 ? NorthDepth[r] : SouthDepth[r], IsUrban, frontages);
                count += frontages.Count;
            }
        }

        return count;
    }

    private static double Sum(List<double> values, int count)
    {
        var sum = 0.0;
        for (var k = 0; k < count; k++)
        {
            sum += values[k];
        }

        return sum;
    }
}
