namespace HcmCity.Gis.Crs;

/// <summary>A coordinate reference system the platform cannot read or transform.</summary>
public sealed class UnknownCrsException(string crs)
    : ArgumentException(
        $"Unknown or unsupported coordinate reference system '{crs}'. "
        + $"Supported: {string.Join(", ", CrsRegistry.Supported.Select(srid => $"EPSG:{srid}"))}.")
{
    /// <summary>The value as given, for problem details and CLI messages.</summary>
    public string Crs { get; } = crs;
}
