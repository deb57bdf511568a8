namespace HcmCity.Sites.Influx;

/// <summary>InfluxDB over its v1 HTTP API (/write, /query, /ping), which InfluxDB 1.x, 2.x and 3 all serve.</summary>
public sealed class InfluxOptions
{
    public const string Section = "Influx";

    /// <summary>Base URL, from ConnectionStrings:Influx, e.g. http://127.0.0.1:8086.</summary>
    public Uri? Url { get; set; }

    public string Database { get; set; } = "hcmcity";

    public string? Username { get; set; }

    public string? Password { get; set; }
}
