using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.LocalHttp;

/// <summary>
/// A small HTTP/1.1 server (RFC 9112) for a few GET routes: the module's metrics and health endpoints and its
/// dashboard. Each request is answered whole by one <see cref="LocalHttpHandler"/>. Request content is never read:
/// a request with some is answered, then its connection closed. It took the place of a bare Kestrel server to drop the ASP.NET Core stack
/// from the module's memory (docs/benchmarks.md, "3. Memory").
/// </summary>
public sealed partial class LocalHttpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly LocalHttpLimits _limits;
    private readonly LocalHttpHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _accepting;
    private int _open;

    private LocalHttpServer(Socket listener, LocalHttpLimits limits, LocalHttpHandler handler, TimeProvider time, ILogger logger)
    {
        _listener = listener;
        _limits = limits;
        _handler = handler;
        _time = time;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Where it listens, with the port the system chose when 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Starts listening on <paramref name="endPoint"/>. An address it cannot bind (taken, not on this host, not allowed)
    /// is not an exception: the result holds the reason, so the caller can run on without this server.
    /// </summary>
    public static LocalHttpStart TryStart(IPEndPoint endPoint, LocalHttpLimits limits, LocalHttpHandler handler, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        Socket? listener = null;
        try
        {
            // Inside the try: a host without IPv6 refuses the socket itself (EAFNOSUPPORT) for "::".
            listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                // "::" takes IPv4 clients as well, as it did under Kestrel.
                listener.DualMode = true;
            }

            listener.Bind(endPoint);
            listener.Listen(128);
        }
        catch (SocketException ex)
        {
            // EADDRINUSE (taken), EADDRNOTAVAIL (not on this host), EACCES (a port below 1024 for an unprivileged user).
            listener?.Dispose();
            return new LocalHttpStart(null, $"{ex.SocketErrorCode}: {ex.Message}");
        }

        return new LocalHttpStart(new LocalHttpServer(listener, limits, handler, time, logger ?? NullLogger.Instance), null);
    }

    /// <summary>
    /// Stops accepting and ends idle connections; answers in flight are sent until <paramref name="cancellationToken"/>
    /// (the grace) ends, then aborted.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_connections.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The grace is over: abort the answers still being sent.
            await _aborting.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        }
    }

    /// <summary>Stops at once: what is still being sent is aborted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_aborting.IsCancellationRequested)
        {
            await _aborting.CancelAsync().ConfigureAwait(false);
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of descriptors or memory for the moment: back off, the listener stays.
                LogAcceptFailed(ex.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                socket.NoDelay = true;
            }
            catch (SocketException)
            {
                // Reset before it could be set up: nothing to answer.
                socket.Dispose();
                continue;
            }

            if (Interlocked.Increment(ref _open) > _limits.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                Track(Task.Run(() => RefuseBusyAsync(socket)));
                continue;
            }

            // On the thread pool: a connection whose receives complete at once (pipelined requests) must not hold the
            // accept loop.
            var connection = new LocalHttpConnection(socket, _limits, _handler, _time, _logger, _stopping.Token, _aborting.Token);
            Track(Task.Run(() => RunConnectionAsync(connection)));
        }
    }

    private async Task RunConnectionAsync(LocalHttpConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private void Track(Task task)
    {
        _connections.TryAdd(task, true);
        _ = task.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, bool>)state!).TryRemove(done, out _), _connections, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One connection over <see cref="LocalHttpLimits.MaxConnections"/>: a 503 that asks to close (RFC 9110 §15.6.4), then closed.</summary>
    private async Task RefuseBusyAsync(Socket socket)
    {
        LogTooManyConnections(_limits.MaxConnections);
        try
        {
            byte[] head = ResponseHead.Write(503, null, 0, [], close: true, _time.GetUtcNow());
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await socket.SendAsync(head, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            LocalHttpConnection.DiscardAndShutdown(socket);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left first.
        }
        finally
        {
            socket.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP server: accepting a connection failed ({Error}); retrying.")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP server: more than {Max} connections; one answered 503.")]
    private partial void LogTooManyConnections(int max);
}
