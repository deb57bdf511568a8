using HcmCity.Abstractions.Sites;

namespace HcmCity.Sites.Monitoring;

[GenerateSerializer]
public sealed class ConstructionSiteGrainState
{
    /// <summary>Last reported levels and online state per device id.</summary>
    [Id(0)]
    public Dictionary<string, SensorStanding> Sensors { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public SiteStatus Status { get; set; }

    [Id(2)]
    public DateTimeOffset? Since { get; set; }
}

[GenerateSerializer]
public sealed class SensorStanding
{
    [Id(0)]
    public Dictionary<string, MetricChange> Metrics { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public bool Offline { get; set; }
}
