using Microsoft.Extensions.Configuration;
using Npgsql;

namespace HcmCity.ServiceDefaults;

/// <summary>How the platform is hosted.</summary>
public enum PlatformMode
{
    /// <summary>One process: in-memory Orleans, embedded MQTT broker, in-memory land records, no database needed.</summary>
    Embedded,

    /// <summary>Redis clustering, PostgreSQL+PostGIS, mosquitto and InfluxDB; silo, api and gateway may run apart.</summary>
    Production,
}

/// <summary>The external dependencies a host can be told to use.</summary>
[Flags]
public enum Dependencies
{
    None = 0,
    Postgres = 1,
    Redis = 2,
    Influx = 4,
    Mqtt = 8,
}

/// <summary>
/// Reads the hosting mode and checks, before anything starts, that every connection setting the mode needs is
/// present and well-formed. A problem throws <see cref="ConfigurationException"/> naming the setting.
/// </summary>
public static class PlatformConfiguration
{
    public const string ModeKey = "Platform:Mode";
    public const string PostgresKey = "ConnectionStrings:Postgres";

    /// <summary>
    /// Optional: the role that owns the schema and runs the migrations (at start and by the <c>migrate</c> verb), so
    /// that <see cref="PostgresKey"/> can name a role that owns nothing. Unset: migrations run on <see cref="PostgresKey"/>.
    /// </summary>
    public const string PostgresOwnerKey = "ConnectionStrings:PostgresOwner";
    public const string RedisKey = "ConnectionStrings:Redis";
    public const string InfluxKey = "ConnectionStrings:Influx";
    public const string MqttKey = "ConnectionStrings:Mqtt";

    public static PlatformMode Mode(IConfiguration configuration)
    {
        var value = configuration[ModeKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return PlatformMode.Embedded;
        }
        return Enum.TryParse<PlatformMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new ConfigurationException($"{ModeKey} is '{value}'; expected Embedded or Production.");
    }

    /// <summary>Which dependencies are configured (a connection string is present).</summary>
    public static Dependencies Configured(IConfiguration configuration)
    {
        var configured = Dependencies.None;
        foreach (var (dependency, key) in Keys)
        {
            if (!string.IsNullOrWhiteSpace(configuration[key]))
            {
                configured |= dependency;
            }
        }
        return configured;
    }

    /// <summary>Validates the required settings, and any optional one that is present.</summary>
    public static void Validate(IConfiguration configuration, Dependencies required)
    {
        foreach (var (dependency, key) in Keys)
        {
            var value = configuration[key];
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required.HasFlag(dependency))
                {
                    throw new ConfigurationException(
                        $"{key} is missing; it is required in {Mode(configuration)} mode " +
                        $"(set it in appsettings or the environment variable {key.Replace(":", "__")}).");
                }
                continue;
            }
            if (Check(dependency, value) is { } problem)
            {
                throw new ConfigurationException($"{key} is not valid: {problem}.");
            }
        }
        if (configuration[PostgresOwnerKey] is { Length: > 0 } owner && CheckPostgres(owner) is { } ownerProblem)
        {
            throw new ConfigurationException($"{PostgresOwnerKey} is not valid: {ownerProblem}.");
        }
    }

    private static readonly (Dependencies Dependency, string Key)[] Keys =
    [
        (Dependencies.Postgres, PostgresKey),
        (Dependencies.Redis, RedisKey),
        (Dependencies.Influx, InfluxKey),
        (Dependencies.Mqtt, MqttKey),
    ];

    private static string? Check(Dependencies dependency, string value) => dependency switch
    {
        Dependencies.Postgres => CheckPostgres(value),
        Dependencies.Redis or Dependencies.Mqtt => CheckHostPort(value),
        Dependencies.Influx => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : "expected an http(s) URL such as http://127.0.0.1:8086",
        _ => null,
    };

    private static string? CheckPostgres(string value)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            return string.IsNullOrWhiteSpace(builder.Host) ? "it names no Host" : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>"host:port" (the first of a comma-separated list for Redis; options after it are Redis's own).</summary>
    internal static string? CheckHostPort(string value)
    {
        var first = value.Split(',')[0].Trim();
        var colon = first.LastIndexOf(':');
        return colon > 0 && int.TryParse(first[(colon + 1)..], out var port) && port is > 0 and < 65536
            ? null
            : $"expected host:port, got '{first}'";
    }

    /// <summary>Splits "host:port"; services take the MQTT broker's from <see cref="MqttOptions"/>.</summary>
    public static (string Host, int Port) HostPort(string value)
    {
        var first = value.Split(',')[0].Trim();
        var colon = first.LastIndexOf(':');
        return (first[..colon], int.Parse(first[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
