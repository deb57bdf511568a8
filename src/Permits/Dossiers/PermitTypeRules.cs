using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcmCity.Permits.Dossiers;

/// <summary>What a permit type allows (loại giấy phép): its printed name and, for a term-limited permit, its caps.</summary>
public sealed record PermitTypeRule(
    [property: JsonPropertyName("vi")] string VietnameseName,
    [property: JsonPropertyName("maxFloors")] int? MaxFloors = null,
    [property: JsonPropertyName("maxBasements")] int? MaxBasements = null,
    [property: JsonPropertyName("maxYears")] int? MaxYears = null);

/// <summary>
/// The permit types and their limits as data (<c>permit-types.json</c>, cited there), like the site-plan rule sets:
/// a change of regulation is a change of that file, not of code.
/// </summary>
public sealed record PermitTypeRules(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("citation")] string Citation,
    [property: JsonPropertyName("types")] IReadOnlyDictionary<string, PermitTypeRule> Types)
{
    private const string EmbeddedResource = "HcmCity.Permits.Dossiers.permit-types.json";

    public static PermitTypeRules Embedded { get; } = Load();

    /// <summary>The plan's floors or basements beyond what <paramref name="type"/> allows, as (field, limit), or null.</summary>
    public (string Field, int Limit)? Exceeded(string type, int floors, int basements) =>
        Types.TryGetValue(type, out var rule) switch
        {
            true when rule.MaxFloors is { } maxFloors && floors > maxFloors => ("floors", maxFloors),
            true when rule.MaxBasements is { } maxBasements && basements > maxBasements => ("basements", maxBasements),
            _ => null,
        };

    private static PermitTypeRules Load()
    {
        using var stream = typeof(PermitTypeRules).Assembly.GetManifestResourceStream(EmbeddedResource)
            ?? throw new InvalidOperationException($"Embedded resource {EmbeddedResource} not found.");
        return JsonSerializer.Deserialize<PermitTypeRules>(stream)
            ?? throw new InvalidOperationException($"{EmbeddedResource} is empty.");
    }
}
