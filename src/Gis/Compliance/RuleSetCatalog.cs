using System.Text.Json;
using System.Text.Json.Serialization;

namespace HcmCity.Gis.Compliance;

/// <summary>
/// The rule sets known to the platform: those embedded in this assembly plus any <c>*.rules.json</c> files in a
/// configured directory, so that a new decision replaces the numbers without a release. A file with the same id and
/// version as an embedded set replaces it.
/// </summary>
public sealed class RuleSetCatalog
{
    public const string FilePattern = "*.rules.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public RuleSetCatalog(IEnumerable<RuleSet> ruleSets)
    {
        var byKey = new Dictionary<(string, string), RuleSet>();
        foreach (var ruleSet in ruleSets)
        {
            byKey[(ruleSet.Id, ruleSet.Version)] = ruleSet;
        }

        RuleSets = [.. byKey.Values.OrderBy(r => r.AreaType).ThenBy(r => r.EffectiveFrom)];

        var clash = RuleSets
            .GroupBy(r => (r.AreaType, r.EffectiveFrom))
            .FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new InvalidDataException(
                $"Rule sets {string.Join(", ", clash)} take effect on the same day for the same area type; " +
                "a date could not choose between them.");
        }
    }

    public IReadOnlyList<RuleSet> RuleSets { get; }

    /// <summary>The rule sets embedded in HcmCity.Gis.</summary>
    public static RuleSetCatalog Embedded() => new(LoadEmbedded());

    /// <summary>The embedded rule sets plus every <c>*.rules.json</c> in <paramref name="directory"/>.</summary>
    public static RuleSetCatalog Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Rule-set directory '{directory}' does not exist.");
        }

        var files = Directory.GetFiles(directory, FilePattern).Order(StringComparer.Ordinal);
        return new(LoadEmbedded().Concat(files.Select(file =>
        {
            using var stream = File.OpenRead(file);
            return Parse(stream, file);
        })));
    }

    /// <summary>
    /// The set for <paramref name="areaType"/> in force on <paramref name="date"/>: the latest effective date on or
    /// before it.
    /// </summary>
    public RuleSet Select(AreaType areaType, DateOnly date) =>
        TrySelect(areaType, date, out var ruleSet)
            ? ruleSet
            : throw new KeyNotFoundException(
                $"No rule set for {areaType.ToString().ToLowerInvariant()} areas is in force on {date:yyyy-MM-dd}.");

    public bool TrySelect(AreaType areaType, DateOnly date, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RuleSet? ruleSet)
    {
        ruleSet = RuleSets
            .Where(r => r.AreaType == areaType && r.IsInForceOn(date))
            .MaxBy(r => r.EffectiveFrom);
        return ruleSet is not null;
    }

    public RuleSet? Find(string id, string version) =>
        RuleSets.FirstOrDefault(r => r.Id == id && r.Version == version);

    /// <summary>Reads and checks one rule-set document; <paramref name="source"/> names it in errors.</summary>
    public static RuleSet Parse(Stream json, string source)
    {
        RuleSet? ruleSet;
        try
        {
            ruleSet = JsonSerializer.Deserialize<RuleSet>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Rule set {source}: {e.Message}", e);
        }

        if (ruleSet is null)
        {
            throw new InvalidDataException($"Rule set {source} is empty.");
        }

        var problems = RuleSetProblems(ruleSet).ToList();
        return problems.Count == 0
            ? ruleSet
            : throw new InvalidDataException($"Rule set {source}: {string.Join("; ", problems)}");
    }

    private static IEnumerable<RuleSet> LoadEmbedded()
    {
        var assembly = typeof(RuleSetCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".rules.json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidDataException($"Embedded rule set {name} cannot be read.");
            yield return Parse(stream, name);
        }
    }

    private static IEnumerable<string> RuleSetProblems(RuleSet r)
    {
        if (r.EffectiveTo < r.EffectiveFrom)
        {
            yield return "effectiveTo is before effectiveFrom";
        }

        var present = new Dictionary<string, bool>
        {
            [RuleIds.LandUse] = true,
            [RuleIds.InsideParcel] = true,
            [RuleIds.Density] = true,
            [RuleIds.LotSize] = r.LotSize is not null,
            [RuleIds.Floors] = r.Floors is not null,
            [RuleIds.Height] = r.Height is not null,
            [RuleIds.RearSetback] = r.RearSetback is not null,
            [RuleIds.Balcony] = r.Balcony is not null,
            [RuleIds.Far] = r.Far is not null,
        };
        foreach (var (rule, hasSection) in present)
        {
            var deferred = r.Deferred.ContainsKey(rule);
            if (hasSection == deferred)
            {
                yield return hasSection
                    ? $"rule '{rule}' is both given and deferred"
                    : $"rule '{rule}' is neither given nor deferred";
            }
        }

        foreach (var (rule, deferred) in r.Deferred)
        {
            if (!present.ContainsKey(rule))
            {
                yield return $"deferred rule '{rule}' is not a known rule id";
            }

            if (deferred.Status is not (FindingStatus.Review or FindingStatus.NotApplicable))
            {
                yield return $"deferred rule '{rule}' must be review or not-applicable";
            }
        }

        if (r.Density.Breakpoints.Count == 0 || !Ascending(r.Density.Breakpoints.Select(b => b.LotArea)))
        {
            yield return "density.breakpoints must be non-empty and ascending by lotArea";
        }

        if (r.Floors is { } floors && !Banded(floors.ByRoadWidth.Select(row => row.RoadWidthFrom)))
        {
            yield return "floors.byRoadWidth must start at roadWidthFrom 0 and be ascending";
        }

        if (r.Floors?.ByRoadWidth.Any(row => row.WithExtra < row.Basic) == true)
        {
            yield return "floors.byRoadWidth: withExtra is below basic";
        }

        if (r.Height is { } height && !Banded(height.ByRoadWidth.Select(row => row.RoadWidthFrom)))
        {
            yield return "height.byRoadWidth must start at roadWidthFrom 0 and be ascending";
        }

        if (r.RearSetback is { } rear && !Banded(rear.ByDepth.Select(row => row.DepthFrom)))
        {
            yield return "rearSetback.byDepth must start at depthFrom 0 and be ascending";
        }

        if (r.Balcony is { } balcony && !Banded(balcony.ByRoadWidth.Select(row => row.RoadWidthFrom)))
        {
            yield return "balcony.byRoadWidth must start at roadWidthFrom 0 and be ascending";
        }
    }

    private static bool Banded(IEnumerable<double> lowerBounds)
    {
        var list = lowerBounds.ToList();
        return list.Count > 0 && list[0] == 0 && Ascending(list);
    }

    private static bool Ascending(IEnumerable<double> values)
    {
        var previous = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (!(value > previous))
            {
                return false;
            }

            previous = value;
        }

        return true;
    }
}
