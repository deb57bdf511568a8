using NetTopologySuite.Geometries;

namespace HcmCity.Gis.Parcels;

/// <summary>
/// Identity of a parcel (thửa đất): administrative unit + map sheet number (số tờ bản đồ) + parcel number (số thửa).
/// After the July 2025 merger sheet numbers restart per former commune, so <see cref="Unit"/> is the unit
/// whose map the sheet belongs to (the former commune where it differs from today's).
/// </summary>
public readonly record struct ParcelKey(string Unit, string Sheet, string Number)
{
    public override string ToString() => $"{Unit}/{Sheet}/{Number}";
}

/// <summary>
/// A cadastral parcel as the platform stores it. Geometry is kept twice: as surveyed in its VN-2000 source
/// CRS (the legal record, where areas and setbacks are measured in metres) and in WGS 84 for the web.
/// </summary>
public sealed record Parcel
{
    /// <summary>Surrogate id assigned by the store; stable across re-imports of the same key.</summary>
    public long Id { get; init; }

    public required ParcelKey Key { get; init; }

    /// <summary>Land-use code(s), Circular 08/2024/TT-BTNMT Appendix II (loại đất), e.g. "ODT" or "ONT+CLN".</summary>
    public required string LandUse { get; init; }

    /// <summary>Registered area (diện tích, DIENTICH) in m² as written in the land record, when known.</summary>
    public double? RegisteredArea { get; init; }

    /// <summary>Planar area of <see cref="SourceGeometry"/> in m², computed in the source projection.</summary>
    public required double Area { get; init; }

    /// <summary>EPSG code of the source CRS, e.g. 9210 (VN-2000 / TM-3 105-45).</summary>
    public required int SourceSrid { get; init; }

    /// <summary>Geometry in the source CRS (metres).</summary>
    public required Geometry SourceGeometry { get; init; }

    /// <summary>Geometry in WGS 84 (EPSG:4326), x = longitude, y = latitude.</summary>
    public required Geometry Geometry { get; init; }

    /// <summary>
    /// Personal fields (owner name, address, ID numbers) kept only when an import is told to keep them.
    /// Restricted: never returned by the public, developer, OGC or tile outputs.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Personal { get; init; }

    /// <summary>Individual houses may only be built on residential land, Law 135/2025 Art. 48(3).</summary>
    public bool IsResidential => LandUseCodes.IsResidential(LandUse);
}

public static class LandUseCodes
{
    /// <summary>ODT urban residential, ONT rural residential (Circular 08/2024/TT-BTNMT Appendix II).</summary>
    public static bool IsResidential(string landUse) =>
        Split(landUse).Any(code => code is "ODT" or "ONT");

    /// <summary>A compound code such as "ONT+CLN" lists each use of the parcel.</summary>
    public static IEnumerable<string> Split(string landUse) =>
        landUse.Split(['+', ',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(code => code.ToUpperInvariant());

    /// <summary>The first (principal) code, used for colouring maps.</summary>
    public static string Principal(string landUse) => Split(landUse).FirstOrDefault() ?? "";
}
