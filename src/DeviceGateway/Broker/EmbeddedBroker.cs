using System.Net;
using HcmCity.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace HcmCity.DeviceGateway.Broker;

/// <summary>
/// MQTTnet's embedded broker, for the one-process embedded mode: listens on the loopback port of
/// ConnectionStrings:Mqtt so a newcomer needs no mosquitto. Production uses mosquitto.
/// </summary>
public sealed class EmbeddedBroker(IConfiguration configuration, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (_, port) = PlatformConfiguration.HostPort(configuration[PlatformConfiguration.MqttKey]!);
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        _server = factory.CreateMqttServer(options);
        await _server.StartAsync();
        logger.LogInformation("Embedded MQTT broker listening on 127.0.0.1:{Port}", port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }
}
