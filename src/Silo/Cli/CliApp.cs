using System.CommandLine;
using HcmCity.ServiceDefaults;
using HcmCity.Silo.Hosting;

namespace HcmCity.Silo.Cli;

/// <summary>
/// No verb (or host options such as --urls): run the platform. A verb (import, generate, migrate, ...): run it
/// and exit.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("HcmCity: land records, construction permits and site monitoring for Ho Chi Minh City.");
        foreach (var command in ParcelCommands.Build())
        {
            root.Subcommands.Add(command);
        }
        foreach (var command in PermitCommands.Build())
        {
            root.Subcommands.Add(command);
        }
        var verbs = root.Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (args.Length > 0 && (verbs.Contains(args[0]) || args[0] is "--help" or "-h" or "--version"))
        {
            var exit = 0;
            var guarded = await ConfigurationGuard.RunAsync(async () => exit = await root.Parse(args).InvokeAsync());
            return guarded != 0 ? guarded : exit;
        }
        return await ConfigurationGuard.RunAsync(() => PlatformHost.RunAsync(args));
    }
}
