using HcmCity.Testing;
using System.Reflection;
using System.Xml.Linq;

namespace HcmCity.EndToEnd.Tests.Architecture;

/// <summary>
/// The layout stays true: dependencies point inward. The pure core (Gis), the grain contracts (Abstractions) and the
/// hosting defaults depend on nothing of ours; the capabilities (LandRecords, Permits, Sites, Audit) depend on the core
/// and the shared HTTP conventions (Web), never on one another nor on a host; Platform composes them; the hosts
/// (Silo, Api, DeviceGateway) depend on Platform and never on one another.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly string[] Core = ["HcmCity.Abstractions", "HcmCity.Gis", "HcmCity.ServiceDefaults"];
    private static readonly string[] Capabilities = ["HcmCity.Audit", "HcmCity.LandRecords", "HcmCity.Permits", "HcmCity.Sites"];

    /// <summary>What each project may reference of ours (directly or by using its types).</summary>
    public static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["HcmCity.Abstractions"] = [],
        ["HcmCity.Gis"] = [],
        ["HcmCity.ServiceDefaults"] = [],
        ["HcmCity.Web"] = Core,
        ["HcmCity.Audit"] = [.. Core, "HcmCity.Web"],
        ["HcmCity.LandRecords"] = [.. Core, "HcmCity.Web"],
        ["HcmCity.Permits"] = [.. Core, "HcmCity.Web"],
        ["HcmCity.Sites"] = [.. Core, "HcmCity.Web"],
        ["HcmCity.Platform"] = [.. Core, "HcmCity.Web", .. Capabilities],
        ["HcmCity.Silo"] = [.. Core, "HcmCity.Web", .. Capabilities, "HcmCity.Platform"],
        ["HcmCity.Api"] = [.. Core, "HcmCity.Web", .. Capabilities, "HcmCity.Platform"],
        ["HcmCity.DeviceGateway"] = [.. Core, "HcmCity.Web", .. Capabilities, "HcmCity.Platform"],
    };

    public static TheoryData<string> Projects => [.. Allowed.Keys];

    /// <summary>The assemblies this test project loads (the Api and DeviceGateway hosts are checked by their project files).</summary>
    public static TheoryData<string> Libraries => [.. Allowed.Keys.Where(p => p is not ("HcmCity.Api" or "HcmCity.DeviceGateway"))];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Compiled_assembly_uses_only_inner_projects(string project)
    {
        var assembly = Assembly.Load(project);
        var ours = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("HcmCity.", StringComparison.Ordinal))
            .ToList();

        Assert.All(ours, referenced => Assert.True(Allowed[project].Contains(referenced),
            $"{project} uses {referenced}: dependencies must point inward (allowed: {string.Join(", ", Allowed[project])})."));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_file_references_only_inner_projects(string project)
    {
        var file = Path.Combine(RepositoryRoot(), "src", project["HcmCity.".Length..], $"{project}.csproj");
        var references = XDocument.Load(file).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

        Assert.All(references, referenced => Assert.True(Allowed[project].Contains(referenced),
            $"{file} references {referenced}: dependencies must point inward."));
    }

    [Fact]
    public void Every_source_project_is_placed_in_the_layout()
    {
        var projects = Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);

        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), projects);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HcmCity.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("HcmCity.sln not found above the test's directory.");
    }
}
