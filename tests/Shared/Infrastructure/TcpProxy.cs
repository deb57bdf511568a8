using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace HcmCity.Testing;

/// <summary>
/// A TCP relay between the platform and one real service, so a test can cut that service off (<see cref="Block"/>:
/// every open connection is reset and new ones are refused) and bring it back (<see cref="Unblock"/>) without
/// stopping the shared server other tests use.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, (Socket Client, Socket Upstream)> _links = new();
    private readonly Task _accepting;
    private long _nextLink;
    private volatile bool _blocked;

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host == "localhost" ? "127.0.0.1" : host), port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections relayed since start.</summary>
    public long Connections => Interlocked.Read(ref _nextLink);

    /// <summary>Resets every relayed connection and refuses new ones, as a crashed or restarting server does.</summary>
    public void Block()
    {
        _blocked = true;
        foreach (var (id, link) in _links)
        {
            _links.TryRemove(id, out _);
            Abort(link.Client);
            Abort(link.Upstream);
        }
    }

    public void Unblock() => _blocked = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Block();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_blocked)
            {
                Abort(client);
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var id = Interlocked.Increment(ref _nextLink);
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            _links[id] = (client, upstream);
            if (_blocked)
            {
                return;
            }
            await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _links.TryRemove(id, out _);
            Abort(client);
            Abort(upstream);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
        }
    }

    /// <summary>Closes with a reset (no lingering), so the peer sees the connection fail at once.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }
}
