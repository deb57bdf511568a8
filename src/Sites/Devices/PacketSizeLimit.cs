using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace HcmCity.Sites.Devices;

/// <summary>
/// The embedded broker's TCP listener, in place of MQTTnet's own: MQTTnet 5's server has no maximum packet size and
/// allocates each packet's body at the length its fixed header declares, so one client announcing 256 MB makes the
/// broker allocate it. Here each connection's bytes pass through a <see cref="PacketSizeLimitedChannel"/> that closes
/// the connection as soon as a fixed header declares a packet over the limit, before MQTTnet reads any of it
/// (mosquitto's max_packet_size does the same in production).
/// </summary>
internal sealed class PacketSizeLimitedServerAdapter(IPEndPoint endpoint, int maxPacketBytes, Action<EndPoint?, long> refused) : IMqttServerAdapter
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task? _accepting;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        var listener = new TcpListener(endpoint);
        listener.Start();
        _listener = listener;
        _accepting = AcceptAsync(listener, options, logger);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        if (_accepting is { } accepting)
        {
            await accepting;
        }
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, MqttServerOptions options, IMqttNetLogger logger)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = HandleAsync(socket, options, logger);
        }
    }

    private async Task HandleAsync(Socket socket, MqttServerOptions options, IMqttNetLogger logger)
    {
        try
        {
            socket.NoDelay = true;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var tcp = new MqttTcpChannel(stream, socket.LocalEndPoint, socket.RemoteEndPoint, null);
            using var channel = new PacketSizeLimitedChannel(tcp, maxPacketBytes, refused);
            using var adapter = new MqttChannelAdapter(channel,
                new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax)), logger);
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or MqttCommunicationException)
        {
            // The connection ended; the broker has already logged what it knew of it.
        }
        finally
        {
            socket.Dispose();
        }
    }
}

/// <summary>
/// An MQTT channel that follows the packet boundaries of what it reads (fixed header: one type byte and a remaining
/// length of up to four bytes, MQTT 5 §2.1.4) and fails the read that would hand MQTTnet a fixed header declaring a
/// packet over <c>maxPacketBytes</c>: the connection is closed with none of the body read or allocated.
/// </summary>
internal sealed class PacketSizeLimitedChannel(IMqttChannel inner, int maxPacketBytes, Action<EndPoint?, long> refused) : IMqttChannel
{
    private Part _part = Part.Type;
    private long _length;
    private int _lengthBytes;
    private long _bodyLeft;

    private enum Part
    {
        Type,
        Length,
        Body,
    }

    public X509Certificate2? ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var read = await inner.ReadAsync(buffer, offset, count, cancellationToken);
        Follow(buffer.AsSpan(offset, read));
        return read;
    }

    public void Dispose() => inner.Dispose();

    private void Follow(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_part)
            {
                case Part.Type:
                    _part = Part.Length;
                    _length = 0;
                    _lengthBytes = 0;
                    i++;
                    break;
                case Part.Length:
                    var b = bytes[i++];
                    _length |= (long)(b & 0x7F) << (7 * _lengthBytes);
                    _lengthBytes++;
                    if ((b & 0x80) != 0)
                    {
                        if (_lengthBytes == 4)
                        {
                            Refuse(long.MaxValue);
                        }
                        break;
                    }
                    var packet = 1 + _lengthBytes + _length;
                    if (packet > maxPacketBytes)
                    {
                        Refuse(packet);
                    }
                    _bodyLeft = _length;
                    _part = _length == 0 ? Part.Type : Part.Body;
                    break;
                default:
                    var skip = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    i += skip;
                    _bodyLeft -= skip;
                    if (_bodyLeft == 0)
                    {
                        _part = Part.Type;
                    }
                    break;
            }
        }
    }

    private void Refuse(long packetBytes)
    {
        refused(inner.RemoteEndPoint, packetBytes);
        inner.Dispose();
        throw new MqttCommunicationException($"Packet of {packetBytes} bytes over the broker's limit of {maxPacketBytes} bytes; connection closed.");
    }
}
