using System.Globalization;
using System.Text.Json;
using HcmCity.Web.Problems;
using HcmCity.Gis.Compliance;
using HcmCity.Gis.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using HcmCity.Gis.GeoJson;

namespace HcmCity.Permits.SitePlans;

/// <summary>
/// A check request as read from its JSON body: which parcel, the footprint (no CRS yet when the parcel is on record),
/// the plan's numbers and the date that selects the rule set.
/// </summary>
/// <param name="InlineParcel">The inline parcel in <paramref name="InlineSrid"/>, or null when <paramref name="ParcelId"/> is given.</param>
/// <param name="Crs">The top-level <c>crs</c>, which must match the parcel's.</param>
public sealed record SitePlanCheck(
    long? ParcelId,
    ParcelFacts? InlineParcel,
    int? InlineSrid,
    Geometry Footprint,
    int? Crs,
    SitePlan Plan,
    DateOnly? Date)
{
    /// <summary>The plan with its footprint in <paramref name="srid"/>, the parcel's CRS.</summary>
    public SitePlan PlanIn(int srid) => Plan with { Footprint = GeometryFactories.For(srid).CreateGeometry(Footprint) };
}

/// <summary>
/// Reads the body of <c>POST /api/site-plans/check</c> member by member, so that each bad value is reported by its
/// own name (400 problem+json, every bad member at once) rather than by the framework's binder as "body". What can be
/// measured (geometry validity, CRS in metres, bounds of the numbers) is the engine's <see cref="SitePlanValidation"/>.
/// </summary>
public static class SitePlanInput
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <exception cref="SitePlanValidationException">Members are missing or of the wrong kind; each error names its member.</exception>
    public static SitePlanCheck Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw BadInputException.For("body", "Cần một đối tượng JSON / the body must be a JSON object.");
        }

        var errors = new List<ValidationError>();
        var parcelId = ParcelId(errors, body);
        var (inline, inlineSrid) = Parcel(errors, body, parcelId);
        var footprint = Geometry(errors, body, "footprint", "footprint");
        var crs = Srid(errors, body, "crs", required: false);
        var floors = Integer(errors, body, "floors");
        var height = Number(errors, body, "height", required: true);
        var groundFloorHeight = Number(errors, body, "groundFloorHeight", required: false);
        var roadWidth = Number(errors, body, "roadWidth", required: true);
        var areaType = AreaType(errors, Text(errors, body, "areaType"), required: true);
        var frontage = Number(errors, body, "frontage", required: false);
        var depth = Number(errors, body, "depth", required: false);
        var centralWard = Boolean(errors, body, "centralWard");
        var commercialStreet = Boolean(errors, body, "commercialStreet");
        var balconyProjection = Number(errors, body, "balconyProjection", required: false);
        var sidewalkWidth = Number(errors, body, "sidewalkWidth", required: false);
        var totalFloorArea = Number(errors, body, "totalFloorArea", required: false);
        var date = Date(errors, Text(errors, body, "date"));
        if (errors.Count > 0)
        {
            throw new SitePlanValidationException(errors);
        }

        var plan = new SitePlan
        {
            Footprint = footprint!,
            Floors = floors!.Value,
            Height = height!.Value,
            GroundFloorHeight = groundFloorHeight,
            RoadWidth = roadWidth!.Value,
            AreaType = areaType!.Value,
            Frontage = frontage,
            Depth = depth,
            CentralWard = centralWard ?? false,
            CommercialStreet = commercialStreet ?? false,
            BalconyProjection = balconyProjection,
            SidewalkWidth = sidewalkWidth,
            TotalFloorArea = totalFloorArea,
        };
        return new SitePlanCheck(parcelId, inline, inlineSrid, footprint!, crs, plan, date);
    }

    /// <summary>The <c>areaType</c> query value of the dossier check: existing when left out.</summary>
    public static AreaType AreaTypeOrDefault(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Gis.Compliance.AreaType.Existing;
        }
        var errors = new List<ValidationError>();
        return AreaType(errors, text, required: false) is { } areaType
            ? areaType
            : throw BadInputException.For("areaType", errors[0].Message);
    }

    /// <summary>
    /// A GeoJSON geometry (no CRS set: the caller knows it) within <see cref="GeoJsonInput.MaxVertices"/> and
    /// <see cref="GeoJsonInput.MaxParts"/>; null, with an error naming <paramref name="field"/>, when it cannot be read or is too complex.
    /// </summary>
    public static Geometry? ReadGeometry(JsonElement element, string field, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(field, "Cần một hình GeoJSON / must be a GeoJSON geometry object."));
            return null;
        }
        Geometry geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(GeoJson) ?? throw new JsonException("The geometry is null.");
        }
        catch (Exception e) when (GeoJsonInput.IsMalformed(e))
        {
            errors.Add(new(field, $"GeoJSON không hợp lệ / not a GeoJSON geometry: {e.Message}"));
            return null;
        }
        if (GeoJsonInput.TooComplex(geometry) is { } tooComplex)
        {
            errors.Add(new(field, tooComplex));
            return null;
        }
        return Planar(geometry);
    }

    /// <summary>
    /// The geometry in x, y only. Plans are checked in the plane (heights are the plan's numbers), and positions with
    /// heights, valid in GeoJSON, may mix 3 and 4 numbers in one ring, which NTS overlays cannot handle (they threw).
    /// </summary>
    public static Geometry Planar(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return geometry.Coordinates.Any(c => c is CoordinateZ or CoordinateM) ? new PlanarTransformer().Transform(geometry) : geometry;
    }

    /// <summary>Copies a geometry with every coordinate reduced to x, y.</summary>
    private sealed class PlanarTransformer : NetTopologySuite.Geometries.Utilities.GeometryTransformer
    {
        protected override CoordinateSequence TransformCoordinates(CoordinateSequence coords, Geometry parent) =>
            Factory.CoordinateSequenceFactory.Create([.. coords.ToCoordinateArray().Select(c => new Coordinate(c.X, c.Y))]);
    }

    private static long? ParcelId(List<ValidationError> errors, JsonElement body)
    {
        if (!Member(body, "parcelId", out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id > 0)
        {
            return id;
        }
        errors.Add(new("parcelId", "Mã thửa phải là số nguyên dương / must be a positive integer."));
        return null;
    }

    private static (ParcelFacts? Parcel, int? Srid) Parcel(List<ValidationError> errors, JsonElement body, long? parcelId)
    {
        var hasId = Member(body, "parcelId", out _);
        var hasParcel = Member(body, "parcel", out var parcel);
        if (hasId == hasParcel)
        {
            var message = hasId
                ? "Chỉ cho parcelId hoặc parcel, không cả hai / give parcelId or parcel, not both."
                : "Cần parcelId hoặc parcel / parcelId or an inline parcel is required.";
            errors.Add(new("parcelId", message));
            errors.Add(new("parcel", message));
            return (null, null);
        }
        if (parcelId is not null || hasId)
        {
            return (null, null);
        }
        if (parcel.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("parcel", "Cần một đối tượng {geometry, crs, landUse} / must be an object {geometry, crs, landUse}."));
            return (null, null);
        }

        var srid = Srid(errors, parcel, "parcel.crs", required: true, member: "crs");
        if (srid is { } code && CrsRegistry.IsGeographic(code))
        {
            errors.Add(new("parcel.crs",
                $"Cần hệ tọa độ phẳng VN-2000 (mét), ví dụ EPSG:9210 / a projected VN-2000 CRS in metres is required, e.g. EPSG:9210, not EPSG:{code}."));
            srid = null;
        }
        var geometry = Geometry(errors, parcel, "geometry", "parcel.geometry");
        var landUse = Text(errors, parcel, "landUse", "parcel.landUse") ?? "";
        return geometry is null || srid is null
            ? (null, null)
            : (new ParcelFacts(GeometryFactories.For(srid.Value).CreateGeometry(geometry), landUse), srid);
    }

    private static Geometry? Geometry(List<ValidationError> errors, JsonElement json, string member, string field)
    {
        if (!Member(json, member, out var value))
        {
            errors.Add(new(field, "Bắt buộc: hình GeoJSON / required: a GeoJSON geometry."));
            return null;
        }
        return ReadGeometry(value, field, errors);
    }

    private static int? Srid(List<ValidationError> errors, JsonElement json, string field, bool required, string? member = null)
    {
        var text = Text(errors, json, member ?? field, field);
        if (text is null)
        {
            if (required && !errors.Any(e => e.Field == field))
            {
                errors.Add(new(field, "Bắt buộc, ví dụ EPSG:9210 / required, e.g. EPSG:9210."));
            }
            return null;
        }
        try
        {
            return CrsRegistry.ParseSrid(text);
        }
        catch (UnknownCrsException e)
        {
            errors.Add(new(field, e.Message));
            return null;
        }
    }

    private static int? Integer(List<ValidationError> errors, JsonElement json, string field)
    {
        if (!Member(json, field, out var value))
        {
            errors.Add(new(field, "Bắt buộc / required."));
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }
        errors.Add(new(field, "Phải là số nguyên / must be an integer."));
        return null;
    }

    private static double? Number(List<ValidationError> errors, JsonElement json, string field, bool required)
    {
        if (!Member(json, field, out var value))
        {
            if (required)
            {
                errors.Add(new(field, "Bắt buộc / required."));
            }
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }
        errors.Add(new(field, "Phải là một số hữu hạn / must be a finite JSON number."));
        return null;
    }

    private static bool? Boolean(List<ValidationError> errors, JsonElement json, string field)
    {
        if (!Member(json, field, out var value))
        {
            return null;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        errors.Add(new(field, "Phải là true hoặc false / must be true or false."));
        return null;
    }

    private static string? Text(List<ValidationError> errors, JsonElement json, string member, string? field = null)
    {
        if (!Member(json, member, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }
        errors.Add(new(field ?? member, "Phải là chuỗi / must be a string."));
        return null;
    }

    private static AreaType? AreaType(List<ValidationError> errors, string? text, bool required)
    {
        switch (text)
        {
            case "existing":
                return Gis.Compliance.AreaType.Existing;
            case "new":
                return Gis.Compliance.AreaType.New;
            case null when !required || errors.Any(e => e.Field == "areaType"):
                return null;
            default:
                errors.Add(new("areaType", "Khu hiện hữu hoặc phát triển mới: existing | new / must be existing or new."));
                return null;
        }
    }

    private static DateOnly? Date(List<ValidationError> errors, string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add(new("date", "Ngày dạng yyyy-MM-dd / expected a date yyyy-MM-dd."));
        return null;
    }

    /// <summary>A member that is present and not null.</summary>
    private static bool Member(JsonElement json, string name, out JsonElement value) =>
        json.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
}
