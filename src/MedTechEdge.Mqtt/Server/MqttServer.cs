using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// The embedded MQTT broker (MQTT 3.1.1 and 5.0 over TCP). Device PUBLISHes on the ingest topic filters go to an
/// <see cref="IMqttIngestHandler"/>; everything else is ordinary broker behaviour (subscriptions, retained messages,
/// wills, sessions). Optionally a second, TLS listener, username/password and client-certificate authentication, and
/// per-device topic authorization (<see cref="MqttServerOptions"/>). See docs/mqtt.md for what is implemented of each specification.
/// </summary>
public sealed class MqttServer : IAsyncDisposable
{
    private readonly MqttServerOptions _options;
    private readonly ILogger _logger;
    private readonly MqttBroker _broker;
    private readonly HashSet<Task> _connections = [];
    private readonly Lock _connectionsLock = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private CancellationTokenSource? _stopping;
    private ITimer? _failureLogTimer;

    /// <summary>Creates a server; nothing listens before <see cref="StartAsync"/>.</summary>
    /// <param name="options">Settings; not copied, do not change them after start.</param>
    /// <param name="ingestHandler">Receives device messages; null runs a plain broker.</param>
    /// <param name="logger">Logger; payloads and passwords are never logged.</param>
    /// <exception cref="ArgumentException">An option is invalid (ingest filter, missing TLS certificate path).</exception>
    /// <exception cref="FormatException">The credentials file has errors (all are listed, with line numbers).</exception>
    /// <exception cref="IOException">The credentials file or a PEM file cannot be read.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A PEM file holds no usable certificate or key.</exception>
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

        if (!options.UnencryptedListenerEnabled && options.Tls is null)
        {
            throw new ArgumentException("With the unencrypted listener disabled, Tls must be configured.", nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Statistics = new MqttServerStatistics();
        MqttServerSecurity security = MqttServerSecurity.Create(options, _logger);
        _broker = new MqttBroker(options, ingestHandler, Statistics, _logger, security);
    }

    /// <summary>The bound address and port of the unencrypted listener; null before <see cref="StartAsync"/> or when it is disabled.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>The bound address and port of the TLS listener; null before <see cref="StartAsync"/> or without <see cref="MqttServerOptions.Tls"/>.</summary>
    public IPEndPoint? TlsLocalEndPoint { get; private set; }

    /// <summary>Live counters.</summary>
    public MqttServerStatistics Statistics { get; }

    /// <summary>Binds and starts accepting connections. Throws <see cref="MqttListenerBindException"/> when a port is taken.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_listeners.Count > 0)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        try
        {
            if (_options.UnencryptedListenerEnabled)
            {
                LocalEndPoint = Listen(_options.Port, tls: false);
            }

            if (_options.Tls is { } tls)
            {
                TlsLocalEndPoint = Listen(tls.Port, tls: true);
            }
        }
        catch
        {
            CloseListeners();
            LocalEndPoint = null;
            TlsLocalEndPoint = null;
            throw;
        }

        _stopping = new CancellationTokenSource();
        CancellationToken stopping = _stopping.Token;
        MqttServerSecurity security = _broker.Security;
        if (LocalEndPoint is not null)
        {
            Socket plain = _listeners[0];
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(plain, tls: null, stopping), CancellationToken.None));
            MqttServerLog.Listening(_logger, LocalEndPoint.ToString());
        }

        if (TlsLocalEndPoint is not null)
        {
            Socket secure = _listeners[^1];
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(secure, security.Tls, stopping), CancellationToken.None));
            MqttServerLog.ListeningTls(_logger, TlsLocalEndPoint.ToString());
        }

        MqttServerLog.SecurityPolicy(_logger, security.AllowAnonymous, security.CredentialCount, security.TopicPolicy);
        TimeSpan interval = _options.Authentication.FailureLogInterval;
        _failureLogTimer = _options.TimeProvider.CreateTimer(static state => ((MqttServerSecurity)state!).FlushLogs(), security, interval, interval);
        return Task.CompletedTask;
    }

    private IPEndPoint Listen(int port, bool tls)
    {
        var listener = new Socket(_options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listeners.Add(listener);
        var endPoint = new IPEndPoint(_options.BindAddress, port);
        try
        {
            listener.Bind(endPoint);
        }
        catch (SocketException ex)
        {
            throw new MqttListenerBindException(ex.SocketErrorCode, endPoint, tls);
        }

        listener.Listen(512);
        return (IPEndPoint)listener.LocalEndPoint!;
    }

    private void CloseListeners()
    {
        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
    }

    private async Task AcceptLoopAsync(Socket listener, MqttTlsAcceptor? tls, CancellationToken cancellationToken)
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
            Task run = Task.Run(() => RunConnectionAsync(socket, tls, cancellationToken), CancellationToken.None);
            lock (_connectionsLock)
            {
                _connections.Add(run);
            }

            _ = run.ContinueWith(Forget, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>TLS handshake first (bounded by ConnectTimeout, off the accept loop), then the MQTT connection.</summary>
    private async Task RunConnectionAsync(Socket socket, MqttTlsAcceptor? tls, CancellationToken cancellationToken)
    {
        if (tls is null)
        {
            await new MqttServerConnection(_broker, socket, null, MqttTransportAuthentication.Plain, cancellationToken).RunAsync().ConfigureAwait(false);
            return;
        }

        SslStream stream;
        MqttTransportAuthentication transport;
        string remote = socket.RemoteEndPoint?.ToString() ?? "?";
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                (stream, transport) = await tls.AcceptAsync(socket, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Wrong CA on the client, a plain MQTT client on the TLS port, no or an invalid client certificate.
                Interlocked.Increment(ref Statistics._tlsHandshakeFailures);
                MqttServerLog.TlsHandshakeFailed(_logger, remote, ex.Message);
                socket.Dispose();
                return;
            }
        }

        await new MqttServerConnection(_broker, socket, stream, transport, cancellationToken).RunAsync().ConfigureAwait(false);
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
        if (_stopping is null || _listeners.Count == 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        CloseListeners();
        if (_failureLogTimer is not null)
        {
            await _failureLogTimer.DisposeAsync().ConfigureAwait(false);
            _failureLogTimer = null;
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _acceptLoops.Clear();

        Task[] running;
        lock (_connectionsLock)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping?.Dispose();
        // After every connection ended: no CONNECT waits for a password check any more.
        _broker.Security.Dispose();
    }
}
