using System.Net;
using System.Net.Sockets;
using MedTechEdge.Mqtt.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// The embedded MQTT broker (MQTT 3.1.1 and 5.0 over TCP). Device PUBLISHes on the ingest topic filters go to an
/// <see cref="IMqttIngestHandler"/>; everything else is ordinary broker behaviour (subscriptions, retained messages,
/// wills, sessions). See docs/mqtt.md for what is implemented of each specification.
/// </summary>
public sealed class MqttServer : IAsyncDisposable
{
    private readonly MqttServerOptions _options;
    private readonly ILogger _logger;
    private readonly MqttBroker _broker;
    private readonly HashSet<Task> _connections = [];
    private readonly Lock _connectionsLock = new();
    private CancellationTokenSource? _stopping;
    private Socket? _listener;
    private Task? _acceptLoop;

    /// <summary>Creates a server; nothing listens before <see cref="StartAsync"/>.</summary>
    /// <param name="options">Settings; not copied, do not change them after start.</param>
    /// <param name="ingestHandler">Receives device messages; null runs a plain broker.</param>
    /// <param name="logger">Logger; payloads are never logged.</param>
    public MqttServer(MqttServerOptions options, IMqttIngestHandler? ingestHandler = null, ILogger<MqttServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (string filter in options.IngestTopicFilters)
        {
            if (!MqttTopic.IsValidTopicFilter(filter))
            {
                throw new ArgumentException($"Ingest topic filter '{filter}' is not a valid Topic Filter (MQTT 5.0 §4.7).", nameof(options));
            }
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Statistics = new MqttServerStatistics();
        _broker = new MqttBroker(options, ingestHandler, Statistics, _logger);
    }

    /// <summary>The bound address and port; null before <see cref="StartAsync"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Live counters.</summary>
    public MqttServerStatistics Statistics { get; }

    /// <summary>Binds and starts accepting connections. Throws <see cref="SocketException"/> when the port is taken.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var listener = new Socket(_options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(_options.BindAddress, _options.Port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _stopping = new CancellationTokenSource();
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, _stopping.Token), CancellationToken.None);
        MqttServerLog.Listening(_logger, LocalEndPoint.ToString());
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                MqttServerLog.AcceptFailed(_logger, ex);
                continue;
            }

            Interlocked.Increment(ref Statistics._connectionsAccepted);
            var connection = new MqttServerConnection(_broker, socket, cancellationToken);
            Task run = Task.Run(connection.RunAsync, CancellationToken.None);
            lock (_connectionsLock)
            {
                _connections.Add(run);
            }

            _ = run.ContinueWith(Forget, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static void Forget(Task task, object? state)
    {
        var server = (MqttServer)state!;
        lock (server._connectionsLock)
        {
            server._connections.Remove(task);
        }
    }

    /// <summary>Stops listening and closes every connection (5.0 clients get DISCONNECT 0x8B Server shutting down).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _listener is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] running;
        lock (_connectionsLock)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        _listener = null;
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping?.Dispose();
    }
}
