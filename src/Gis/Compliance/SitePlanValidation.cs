using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace HcmCity.Gis.Compliance;

/// <summary>One bad input, named by its field as the API reports it (e.g. "footprint", "parcel.geometry").</summary>
public sealed record ValidationError(string Field, string Message);

/// <summary>Thrown by <see cref="SitePlanChecker"/> when the input cannot be checked; maps to problem+json.</summary>
public sealed class SitePlanValidationException(IReadOnlyList<ValidationError> errors)
    : ArgumentException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}

/// <summary>
/// Checks that a parcel and site plan can be measured at all: valid polygons in a projected VN-2000 CRS (metres),
/// finite positive numbers within plausible bounds.
/// </summary>
public static class SitePlanValidation
{
    public const int MaxFloors = 100;

    public const double MaxHeight = 500;

    /// <summary>A footprint whose centroid is farther than this from the parcel's was drawn in another CRS.</summary>
    public const double MaxCentroidDistance = 1000;

    /// <summary>
    /// Largest coordinate magnitude, in metres, of any projected CRS (half the equator is about 20,000 km). Beyond it a
    /// number is not a position: 1e308 is finite, but its areas and distances overflow to infinity.
    /// </summary>
    public const double MaxProjectedCoordinate = 20_000_000;

    /// <summary>Geographic CRSs that surface in our data: WGS 84 and VN-2000 geographic (EPSG:4756).</summary>
    private static readonly HashSet<int> GeographicSrids = [4326, 4756, 4979, 4269];

    public static IReadOnlyList<ValidationError> Validate(ParcelFacts parcel, SitePlan plan)
    {
        var errors = new List<ValidationError>();

        var parcelPolygon = Polygonal(errors, "parcel.geometry", parcel.Geometry, allowSinglePartMulti: true);
        var footprint = Polygonal(errors, "footprint", plan.Footprint, allowSinglePartMulti: false);

        if (string.IsNullOrWhiteSpace(parcel.LandUse))
        {
            errors.Add(new("parcel.landUse", "Land-use code is required (e.g. ODT)."));
        }

        if (parcelPolygon is not null && footprint is not null)
        {
            if (parcel.Geometry.SRID != 0 && plan.Footprint.SRID != 0 && parcel.Geometry.SRID != plan.Footprint.SRID)
            {
                errors.Add(new("footprint",
                    $"Footprint is in EPSG:{plan.Footprint.SRID} but the parcel is in EPSG:{parcel.Geometry.SRID}."));
            }
            else
            {
                var distance = parcelPolygon.Centroid.Distance(footprint.Centroid);
                if (distance > MaxCentroidDistance)
                {
                    errors.Add(new("footprint",
                        $"Footprint centroid is {distance:0} m from the parcel's (limit {MaxCentroidDistance:0} m): " +
                        "is it in another CRS?"));
                }
            }
        }

        if (plan.RoadSide is { } roadSide)
        {
            RoadSide(errors, roadSide, parcelPolygon);
        }

        if (!Enum.IsDefined(plan.AreaType))
        {
            errors.Add(new("areaType", "Area type must be existing or new."));
        }

        if (plan.Floors < 1 || plan.Floors > MaxFloors)
        {
            errors.Add(new("floors", $"Floors must be between 1 and {MaxFloors}."));
        }

        Positive(errors, "height", plan.Height, MaxHeight);
        Positive(errors, "roadWidth", plan.RoadWidth);
        if (plan.GroundFloorHeight is { } ground && Positive(errors, "groundFloorHeight", ground, MaxHeight)
            && double.IsFinite(plan.Height) && ground > plan.Height)
        {
            errors.Add(new("groundFloorHeight", "Ground floor height is above the roof height."));
        }

        OptionalPositive(errors, "frontage", plan.Frontage);
        OptionalPositive(errors, "depth", plan.Depth);
        OptionalPositive(errors, "totalFloorArea", plan.TotalFloorArea);
        OptionalNonNegative(errors, "balconyProjection", plan.BalconyProjection);
        OptionalNonNegative(errors, "sidewalkWidth", plan.SidewalkWidth);

        return errors;
    }

    /// <summary>Throws <see cref="SitePlanValidationException"/> listing every error, if any.</summary>
    public static void ThrowIfInvalid(ParcelFacts parcel, SitePlan plan)
    {
        var errors = Validate(parcel, plan);
        if (errors.Count > 0)
        {
            throw new SitePlanValidationException(errors);
        }
    }

    /// <summary>The polygon to measure: the geometry itself, or the only part of a one-part MultiPolygon.</summary>
    internal static Polygon? AsPolygon(Geometry? geometry) => geometry switch
    {
        Polygon polygon => polygon,
        MultiPolygon { NumGeometries: 1 } multi => (Polygon)multi.GetGeometryN(0),
        _ => null,
    };

    private static Polygon? Polygonal(List<ValidationError> errors, string field, Geometry? geometry, bool allowSinglePartMulti)
    {
        if (geometry is null || geometry.IsEmpty)
        {
            errors.Add(new(field, "Geometry is missing or empty."));
            return null;
        }

        var polygon = allowSinglePartMulti ? AsPolygon(geometry) : geometry as Polygon;
        if (polygon is null)
        {
            errors.Add(new(field, $"Geometry must be a Polygon, not {geometry.GeometryType}."));
            return null;
        }

        if (!Metres(errors, field, polygon))
        {
            return null;
        }

        var validity = new IsValidOp(polygon).ValidationError;
        if (validity is not null)
        {
            errors.Add(new(field, $"Invalid polygon: {validity.Message} at ({validity.Coordinate?.X:0.###}, {validity.Coordinate?.Y:0.###})."));
            return null;
        }

        if (polygon.Area <= 0)
        {
            errors.Add(new(field, "Polygon has no area."));
            return null;
        }

        return polygon;
    }

    private static void RoadSide(List<ValidationError> errors, Geometry roadSide, Polygon? parcel)
    {
        if (roadSide.IsEmpty || roadSide is not (LineString or Point or MultiLineString))
        {
            errors.Add(new("roadSide", "Road side must be a non-empty LineString or Point."));
            return;
        }

        if (!Metres(errors, "roadSide", roadSide) || parcel is null)
        {
            return;
        }

        if (roadSide.SRID != 0 && parcel.SRID != 0 && roadSide.SRID != parcel.SRID)
        {
            errors.Add(new("roadSide", $"Road side is in EPSG:{roadSide.SRID} but the parcel is in EPSG:{parcel.SRID}."));
        }
        else if (roadSide.Distance(parcel) > MaxCentroidDistance)
        {
            errors.Add(new("roadSide", $"Road side is more than {MaxCentroidDistance:0} m from the parcel."));
        }
    }

    /// <summary>Finite coordinates in a projected CRS: areas and setbacks are measured in metres.</summary>
    private static bool Metres(List<ValidationError> errors, string field, Geometry geometry)
    {
        var coordinates = geometry.Coordinates;
        if (coordinates.Any(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y)))
        {
            errors.Add(new(field, "Coordinates must be finite numbers."));
            return false;
        }

        if (coordinates.Any(c => Math.Abs(c.X) > MaxProjectedCoordinate || Math.Abs(c.Y) > MaxProjectedCoordinate))
        {
            errors.Add(new(field, string.Create(CultureInfo.InvariantCulture,
                $"Coordinates must be within ±{MaxProjectedCoordinate:0} m: no projected CRS reaches further.")));
            return false;
        }

        var envelope = geometry.EnvelopeInternal;
        var looksLikeDegrees = envelope.MinX >= -180 && envelope.MaxX <= 180 && envelope.MinY >= -90 && envelope.MaxY <= 90;
        if (GeographicSrids.Contains(geometry.SRID) || looksLikeDegrees)
        {
            errors.Add(new(field,
                "Coordinates are geographic (degrees); a VN-2000 projected CRS in metres (e.g. EPSG:9210) is required."));
            return false;
        }

        return true;
    }

    private static bool Positive(List<ValidationError> errors, string field, double value, double max = double.MaxValue)
    {
        if (!double.IsFinite(value))
        {
            errors.Add(new(field, "Must be a finite number."));
            return false;
        }

        if (value <= 0)
        {
            errors.Add(new(field, "Must be greater than zero."));
            return false;
        }

        if (value > max)
        {
            errors.Add(new(field, $"Must be at most {max}."));
            return false;
        }

        return true;
    }

    private static void OptionalPositive(List<ValidationError> errors, string field, double? value)
    {
        if (value is { } v)
        {
            Positive(errors, field, v);
        }
    }

    private static void OptionalNonNegative(List<ValidationError> errors, string field, double? value)
    {
        if (value is not { } v)
        {
            return;
        }

        if (!double.IsFinite(v))
        {
            errors.Add(new(field, "Must be a finite number."));
        }
        else if (v < 0)
        {
            errors.Add(new(field, "Must not be negative."));
        }
    }
}
