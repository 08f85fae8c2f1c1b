using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// A TCP relay that adds a fixed one-way delay in each direction, modelling the gateway's uplink to a cloud FHIR
/// service (round trip = 2 × delay). Every chunk is forwarded at its arrival time plus the delay, so the link keeps
/// its bandwidth and only gains latency.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public LatencyProxy(IPEndPoint upstream, TimeSpan oneWayDelay)
    {
        _upstream = upstream;
        _delay = oneWayDelay;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(_upstream, _stop.Token).ConfigureAwait(false);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        Channel<(byte[] Data, int Length, long Due)> queue = Channel.CreateUnbounded<(byte[], int, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task writer = WriteAsync(queue.Reader, to);
        try
        {
            while (true)
            {
                byte[] buffer = new byte[64 * 1024];
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                queue.Writer.TryWrite((buffer, read, Stopwatch.GetTimestamp() + (long)(_delay.TotalSeconds * Stopwatch.Frequency)));
            }
        }
        finally
        {
            queue.Writer.TryComplete();
            await writer.ConfigureAwait(false);
            to.Shutdown(SocketShutdown.Send);
        }
    }

    private async Task WriteAsync(ChannelReader<(byte[] Data, int Length, long Due)> reader, Socket to)
    {
        await foreach ((byte[] data, int length, long due) in reader.ReadAllAsync().ConfigureAwait(false))
        {
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }

            await to.SendAsync(data.AsMemory(0, length), SocketFlags.None).ConfigureAwait(false);
        }
    }
}
