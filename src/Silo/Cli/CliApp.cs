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
        foreach (var command in PermitCommands.Build().Concat(AuditCommands.Build()))
        {
            root.Subcommands.Add(command);
        }
        var verbs = root.Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (args.Length > 0 && (verbs.Contains(args[0]) || args[0] is "--help" or "-h" or "--version"))
        {
            var exit = 0;
            // A verb's configuration mistake reaches the guard (one line, exit code 2) instead of
            // System.CommandLine's own handler, which prints a stack trace and exits with 1.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            try
            {
                var guarded = await ConfigurationGuard.RunAsync(async () => exit = await root.Parse(args).InvokeAsync(invocation));
                return guarded != 0 ? guarded : exit;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Anything else is a fault, not the operator's input: the whole exception, exit code 1.
                await Console.Error.WriteLineAsync(e.ToString());
                return 1;
            }
        }
        return await ConfigurationGuard.RunAsync(() => PlatformHost.RunAsync(args));
    }
}
