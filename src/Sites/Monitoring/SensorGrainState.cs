using HcmCity.Abstractions.Sites;

namespace HcmCity.Sites.Monitoring;

/// <summary>
/// What a sensor must not forget across activations: its committed levels (so a cleared violation is still
/// reported after a restart) and whether it was offline. Windows are rebuilt from new readings.
/// </summary>
[GenerateSerializer]
public sealed class SensorGrainState
{
    [Id(0)]
    public Dictionary<string, MetricLevel> Levels { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public bool Offline { get; set; }
}
