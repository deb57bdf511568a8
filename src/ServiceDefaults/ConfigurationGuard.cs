using Microsoft.Extensions.Options;

namespace HcmCity.ServiceDefaults;

/// <summary>
/// Turns a configuration mistake found at start into one clear line naming the setting (not a stack trace)
/// and exit code 2, so an operator sees at once what to fix.
/// </summary>
public static class ConfigurationGuard
{
    public const int ExitCode = 2;

    public static async Task<int> RunAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (Exception e) when (FindConfigurationError(e) is { } message)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {message}");
            return ExitCode;
        }
    }

    private static string? FindConfigurationError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OptionsValidationException ove:
                    return string.Join(" ", ove.Failures);
                case ConfigurationException ce:
                    return ce.Message;
                case AggregateException ae when ae.InnerExceptions.Count > 0:
                    return ae.InnerExceptions.Select(FindConfigurationError).FirstOrDefault(m => m is not null);
            }
        }
        return null;
    }
}

/// <summary>A setting that is missing or malformed; the message names the setting.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
