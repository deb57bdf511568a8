using System.Net;
using HcmCity.ServiceDefaults;

namespace HcmCity.Web.Auth;

/// <summary>
/// Whether the demo sign-in (any role's token to an anonymous request) is on. It hands out admin tokens, so unless
/// the operator sets <c>Auth:DemoSignIn</c> it is on only for the newcomer's laptop: embedded mode, the in-memory
/// stores (no ConnectionStrings:Postgres, so no real data behind it) and only loopback listeners.
/// </summary>
public static class DemoSignInGate
{
    public const string Setting = $"{AuthOptions.Section}:{nameof(AuthOptions.DemoSignIn)}";

    /// <exception cref="ConfigurationException">Demo sign-in is set on outside embedded mode.</exception>
    public static bool IsOn(IConfiguration configuration)
    {
        var set = configuration.GetValue<bool?>(Setting);
        if (PlatformConfiguration.Mode(configuration) != PlatformMode.Embedded)
        {
            return set == true
                ? throw new ConfigurationException($"{Setting} is only allowed in Embedded mode.")
                : false;
        }
        return set ?? (string.IsNullOrWhiteSpace(configuration[PlatformConfiguration.PostgresKey]) && ListensOnLoopbackOnly(configuration));
    }

    /// <summary>
    /// Every address Kestrel will listen on (urls, Kestrel:Endpoints) is a loopback one. ASPNETCORE_HTTP_PORTS and
    /// ASPNETCORE_HTTPS_PORTS bind every interface; no address at all is Kestrel's default, http://localhost:5000.
    /// </summary>
    public static bool ListensOnLoopbackOnly(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["http_ports"]) || !string.IsNullOrWhiteSpace(configuration["https_ports"]))
        {
            return false;
        }
        var addresses = (configuration["urls"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""));
        return addresses.All(IsLoopback);
    }

    private static bool IsLoopback(string address)
    {
        string host;
        try
        {
            host = BindingAddress.Parse(address).Host;
        }
        catch (FormatException)
        {
            return false;
        }
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
