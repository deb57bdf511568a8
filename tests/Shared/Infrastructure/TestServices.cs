using System.Net.Sockets;

namespace HcmCity.Testing;

/// <summary>
/// Where the real services of scripts/services.sh listen; each overridable by an environment variable.
/// A test whose service is down fails, and says how to start it: these tests are never skipped.
/// </summary>
public static class TestServices
{
    public const string StartHint = "Start the test services with `bash scripts/services.sh start`.";

    /// <summary>The superuser the fixtures create databases with (and most tests run the platform as).</summary>
    public static string Postgres { get; } =
        Env("HCM_TEST_POSTGRES", "Host=127.0.0.1;Port=55432;Username=hcmcity;Password=hcmcity;Database=hcmcity");

    /// <summary>A role that may own a database and its schema, and nothing more: it runs migrations.</summary>
    public static string PostgresOwner { get; } =
        Env("HCM_TEST_POSTGRES_OWNER", "Host=127.0.0.1;Port=55432;Username=hcmcity_owner;Password=hcmcity_owner;Database=hcmcity");

    /// <summary>The application's role (hcmcity_app): owns nothing; migration 0010 grants it rows.</summary>
    public static string PostgresApp { get; } =
        Env("HCM_TEST_POSTGRES_APP", "Host=127.0.0.1;Port=55432;Username=hcmcity_app;Password=hcmcity_app;Database=hcmcity");

    /// <summary>host:port of Redis.</summary>
    public static string Redis { get; } = Env("HCM_TEST_REDIS", "127.0.0.1:56379");

    /// <summary>host:port of the MQTT broker (mosquitto).</summary>
    public static string Mqtt { get; } = Env("HCM_TEST_MQTT", "127.0.0.1:51883");

    /// <summary>The test broker as the platform's services take it.</summary>
    public static Microsoft.Extensions.Options.IOptions<HcmCity.ServiceDefaults.MqttOptions> MqttOptions()
    {
        var (host, port) = HcmCity.ServiceDefaults.PlatformConfiguration.HostPort(Mqtt);
        return Microsoft.Extensions.Options.Options.Create(new HcmCity.ServiceDefaults.MqttOptions { Host = host, Port = port });
    }

    /// <summary>mosquitto's dynamic-security admin (scripts/services.sh makes it): manages the device accounts.</summary>
    public static string MqttAdminUsername { get; } = Env("HCM_TEST_MQTT_ADMIN_USERNAME", "hcm-admin");

    public static string MqttAdminPassword { get; } = Env("HCM_TEST_MQTT_ADMIN_PASSWORD", "hcmcity-admin");

    /// <summary>The gateway's account on mosquitto: may subscribe to every device's telemetry.</summary>
    public static string MqttGatewayUsername { get; } = Env("HCM_TEST_MQTT_GATEWAY_USERNAME", "hcm-gateway");

    public static string MqttGatewayPassword { get; } = Env("HCM_TEST_MQTT_GATEWAY_PASSWORD", "hcmcity-gateway");

    /// <summary>Base address of the InfluxDB v1 HTTP API.</summary>
    public static Uri Influx { get; } = new(Env("HCM_TEST_INFLUX", "http://127.0.0.1:58086"));

    /// <summary>Fails the calling test unless something accepts TCP connections at <paramref name="hostPort"/>.</summary>
    public static async Task RequireTcpAsync(string service, string hostPort, CancellationToken cancellationToken)
    {
        var separator = hostPort.LastIndexOf(':');
        var host = hostPort[..separator];
        var port = int.Parse(hostPort[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
        }
        catch (SocketException e)
        {
            throw Unreachable(service, hostPort, e);
        }
    }

    /// <summary>The failure to throw when a service cannot be reached.</summary>
    public static Exception Unreachable(string service, string address, Exception cause) =>
        new InvalidOperationException(
            $"{service} is not reachable at {address} ({cause.Message}). {StartHint}", cause);

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
