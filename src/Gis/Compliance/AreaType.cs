using System.Text.Json.Serialization;

namespace HcmCity.Gis.Compliance;

/// <summary>
/// Which body of rules governs the lot: existing urban areas (khu hiện hữu, HCMC Decision 56/2021/QĐ-UBND
/// Appendix 18) or new development areas (khu phát triển mới, QCVN 01:2021/BXD).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AreaType>))]
public enum AreaType
{
    [JsonStringEnumMemberName("existing")]
    Existing,

    [JsonStringEnumMemberName("new")]
    New,
}
