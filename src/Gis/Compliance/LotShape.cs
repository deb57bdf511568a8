using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace HcmCity.Gis.Compliance;

/// <summary>
/// Frontage, depth, and the front and rear edges of a lot, read from the parcel's minimum-area bounding rectangle.
/// Cadastral lots are near-rectangles; the rectangle gives their width along the road and their depth away from it.
/// </summary>
/// <param name="Frontage">Chiều rộng mặt tiền, m.</param>
/// <param name="Depth">Chiều sâu, m.</param>
/// <param name="Front">Rectangle side on the road.</param>
/// <param name="Rear">Rectangle side opposite the road: setbacks at the back are measured from it.</param>
/// <param name="Derivation">How the front was told from the rear, and whether frontage/depth were given.</param>
public sealed record LotShape(
    double Frontage,
    double Depth,
    LineSegment Front,
    LineSegment Rear,
    LotShapeDerivation Derivation)
{
    public bool FrontageDerived => Derivation.HasFlag(LotShapeDerivation.FrontageDerived);

    public bool DepthDerived => Derivation.HasFlag(LotShapeDerivation.DepthDerived);

    public bool RearAssumed => Derivation.HasFlag(LotShapeDerivation.RearAssumed);

    /// <summary>
    /// Reads the lot shape. With <paramref name="roadSide"/> the rectangle side nearest the road is the front;
    /// without it the short sides are front and rear, and the rear is the one <paramref name="footprint"/> stays
    /// farther from (row houses are built up to the front line). Given frontage/depth override the measured ones.
    /// </summary>
    public static LotShape Of(Polygon parcel, Geometry footprint, Geometry? roadSide, double? frontage, double? depth)
    {
        // MinimumAreaRectangle loses about 0.1 mm per metre at projected coordinates near 10^6 m, so it runs on a
        // copy moved to the origin and its corners are moved back. Only the convex hull matters to the rectangle, and
        // a surveyed boundary of hundreds of vertices has a hull of a few: moving the hull is much cheaper.
        var hull = parcel.ConvexHull();
        var origin = hull.EnvelopeInternal;
        var local = AffineTransformation.TranslationInstance(-origin.MinX, -origin.MinY).Transform(hull);
        var corners = MinimumAreaRectangle.GetMinimumRectangle(local).Coordinates;
        if (corners.Length < 5)
        {
            throw new ArgumentException("Parcel has no area to measure.", nameof(parcel));
        }

        var sides = new LineSegment[4];
        for (var i = 0; i < 4; i++)
        {
            sides[i] = new LineSegment(
                new Coordinate(corners[i].X + origin.MinX, corners[i].Y + origin.MinY),
                new Coordinate(corners[i + 1].X + origin.MinX, corners[i + 1].Y + origin.MinY));
        }

        var derivation = LotShapeDerivation.None;
        int front;
        if (roadSide is not null)
        {
            front = NearestSide(sides, roadSide, parcel.Factory);
        }
        else
        {
            // Front/rear are the pair whose length matches a given frontage, else the short pair.
            var width = frontage ?? Math.Min(sides[0].Length, sides[1].Length);
            var pair = Math.Abs(sides[0].Length - width) <= Math.Abs(sides[1].Length - width) ? 0 : 1;
            var first = parcel.Factory.CreateLineString([sides[pair].P0, sides[pair].P1]);
            var second = parcel.Factory.CreateLineString([sides[pair + 2].P0, sides[pair + 2].P1]);
            front = footprint.Distance(first) <= footprint.Distance(second) ? pair : pair + 2;
            derivation |= LotShapeDerivation.RearAssumed;
        }

        var rear = (front + 2) % 4;
        if (frontage is null)
        {
            derivation |= LotShapeDerivation.FrontageDerived;
        }

        if (depth is null)
        {
            derivation |= LotShapeDerivation.DepthDerived;
        }

        return new LotShape(
            frontage ?? sides[front].Length,
            depth ?? sides[(front + 1) % 4].Length,
            sides[front],
            sides[rear],
            derivation);
    }

    /// <summary>
    /// The strip of the lot within <paramref name="width"/> of the rear edge, as a polygon: what lies in it breaks
    /// a rear setback of that width.
    /// </summary>
    public Polygon RearStrip(double width, GeometryFactory factory)
    {
        var inward = InwardNormal();
        var a = Rear.P0;
        var b = Rear.P1;
        var c = new Coordinate(b.X + inward.X * width, b.Y + inward.Y * width);
        var d = new Coordinate(a.X + inward.X * width, a.Y + inward.Y * width);
        var ring = factory.CreateLinearRing([a.Copy(), b.Copy(), c, d, a.Copy()]);
        return factory.CreatePolygon(ring);
    }

    private Coordinate InwardNormal()
    {
        var dx = Rear.P1.X - Rear.P0.X;
        var dy = Rear.P1.Y - Rear.P0.Y;
        var length = Math.Sqrt(dx * dx + dy * dy);
        var normal = new Coordinate(-dy / length, dx / length);
        var toFront = new Coordinate(Front.MidPoint.X - Rear.MidPoint.X, Front.MidPoint.Y - Rear.MidPoint.Y);
        return normal.X * toFront.X + normal.Y * toFront.Y >= 0 ? normal : new Coordinate(-normal.X, -normal.Y);
    }

    private static int NearestSide(LineSegment[] sides, Geometry roadSide, GeometryFactory factory)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        var bestMidDistance = double.PositiveInfinity;
        for (var i = 0; i < sides.Length; i++)
        {
            var side = factory.CreateLineString([sides[i].P0, sides[i].P1]);
            var distance = side.Distance(roadSide);
            // A road line touching a corner is at distance 0 from two sides: the side that lies along it wins.
            var midDistance = factory.CreatePoint(sides[i].MidPoint).Distance(roadSide);
            if (distance < bestDistance - 1e-9 || (Math.Abs(distance - bestDistance) <= 1e-9 && midDistance < bestMidDistance))
            {
                best = i;
                bestDistance = distance;
                bestMidDistance = midDistance;
            }
        }

        return best;
    }
}

[Flags]
public enum LotShapeDerivation
{
    None = 0,
    FrontageDerived = 1,
    DepthDerived = 2,
    RearAssumed = 4,
}
