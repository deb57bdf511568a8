using HcmCity.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HcmCity.Testing;

/// <summary>
/// The real Silo host (the same code `dotnet run --project src/Silo` runs) on free loopback ports, reachable over
/// real HTTP by our tests, GDAL and browsers.
/// </summary>
public sealed class PlatformInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlatformInstance(WebApplication app, Uri baseAddress, int mqttPort)
    {
        _app = app;
        BaseAddress = baseAddress;
        MqttPort = mqttPort;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public int MqttPort { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the platform; <paramref name="settings"/> are added as command-line configuration.</summary>
    public static async Task<PlatformInstance> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var mqttPort = FreePort.Next();
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["ConnectionStrings:Mqtt"] = $"127.0.0.1:{mqttPort}",
            ["LandRecords:SeedParcels"] = "2000",
            ["Logging:LogLevel:Default"] = "Warning",
            // Tests publish their own readings; the simulator's demo traffic is switched on by the tests about it.
            ["Simulator:Enabled"] = "false",
            // Likewise the demo dossiers filed at start; the browser tests of the officer screen switch them on.
            ["Demo:Dossiers"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var args = all.Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = PlatformHost.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        var port = new Uri(address).Port;
        return new PlatformInstance(app, new Uri($"http://127.0.0.1:{port}/"), mqttPort);
    }

    /// <summary>
    /// Production mode against the real services (Redis, PostgreSQL <paramref name="postgres"/>, mosquitto, InfluxDB)
    /// with its own gateway client (a plain subscription, as in production), mosquitto's gateway and dynamic-security admin
    /// accounts, a fresh permit signing key and public address, a fresh audit checkpoint key and directory (under the
    /// temp folder) and an unused OIDC authority; <paramref name="extra"/> adds or overrides settings.
    /// </summary>
    public static Dictionary<string, string?> ProductionSettings(string postgres, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Platform:Mode"] = "Production",
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:Redis"] = TestServices.Redis,
            ["ConnectionStrings:Mqtt"] = TestServices.Mqtt,
            ["ConnectionStrings:Influx"] = TestServices.Influx.ToString(),
            ["Gateway:ClientId"] = $"gw-test-{Guid.NewGuid():N}",
            ["Gateway:Username"] = TestServices.MqttGatewayUsername,
            ["Gateway:Password"] = TestServices.MqttGatewayPassword,
            ["Mqtt:AdminUsername"] = TestServices.MqttAdminUsername,
            ["Mqtt:AdminPassword"] = TestServices.MqttAdminPassword,
            ["Auth:Authority"] = "https://127.0.0.1:9/unused-oidc",
            ["EPermits:SigningKeyPem"] = HcmCity.Permits.EPermits.PermitKey.Generate().ExportPrivateKeyPem(),
            ["EPermits:PublicBaseUrl"] = "https://cap-phep.example.vn/",
            ["Audit:CheckpointKeyPem"] = HcmCity.Audit.Checkpoints.AuditCheckpointKey.Generate().ExportPrivateKeyPem(),
            ["Audit:CheckpointDirectory"] = Path.Combine(Path.GetTempPath(), $"hcm-audit-checkpoints-{Guid.NewGuid():N}"),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One embedded platform shared by a test collection (start-up seeds a city and starts a silo).</summary>
public sealed class EmbeddedPlatformFixture : IAsyncLifetime
{
    public PlatformInstance Platform { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Platform = await PlatformInstance.StartAsync();

    public async ValueTask DisposeAsync() => await Platform.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EmbeddedPlatformCollection : ICollectionFixture<EmbeddedPlatformFixture>
{
    public const string Name = "Embedded platform";
}
