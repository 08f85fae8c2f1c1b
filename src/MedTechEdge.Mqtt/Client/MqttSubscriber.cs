using System.Net.Sockets;
using System.Security.Authentication;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Mqtt.Client;

/// <summary>
/// The "connect" ingress: a client of an existing broker (Mosquitto, EMQX, HiveMQ) that subscribes at QoS 1 to the
/// device topics with a persistent session and hands every message to an <see cref="IMqttIngestHandler"/>, the same
/// contract as the embedded broker's. A QoS 1/2 message is acknowledged only after the handler accepted it, in receive
/// order (MQTT 5.0 §4.6); if the handler fails, nothing more is acknowledged on that connection, which is closed and
/// reopened so the broker resends what is unacknowledged, with DUP set (MQTT 5.0 §4.4). Connections are retried
/// forever with exponential backoff and full jitter until <see cref="StopAsync"/>.
/// </summary>
/// <remarks>
/// Delivery is at least once: a message stored by the handler whose PUBACK was lost to a dropped connection comes
/// again (counted in <see cref="MqttSubscriberStatistics.MessagesRedelivered"/>). <see cref="MqttIngestMessage.ClientId"/>
/// is this subscriber's Client Identifier, since MQTT does not carry the publisher's. Subscriptions are made when the
/// broker has no session for us (CONNACK Session Present 0); with a session present the broker's are kept as they are.
/// </remarks>
public sealed partial class MqttSubscriber : IAsyncDisposable
{
    private readonly MqttSubscriberOptions _options;
    private readonly IMqttIngestHandler _handler;
    private readonly ILogger _logger;
    private readonly MqttReconnectBackoff _backoff;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private Task? _run;
    private MqttClient? _current;
    private int _connected;
    private int _disposed;

    /// <summary>Creates a subscriber; nothing connects before <see cref="StartAsync"/>.</summary>
    /// <param name="options">Settings; not copied, do not change them after start.</param>
    /// <param name="handler">Receives every message; it completes the task once the message is durably stored.</param>
    /// <param name="logger">Logger; payloads and topics are never logged.</param>
    /// <exception cref="ArgumentException">Invalid options (no client id, invalid topic filter, zero session expiry in 5.0, ...).</exception>
    public MqttSubscriber(MqttSubscriberOptions options, IMqttIngestHandler handler, ILogger<MqttSubscriber>? logger = null)
        : this(options, handler, logger, Random.Shared)
    {
    }

    internal MqttSubscriber(MqttSubscriberOptions options, IMqttIngestHandler handler, ILogger? logger, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _options = options;
        _handler = handler;
        _logger = logger ?? NullLogger.Instance;
        _backoff = new MqttReconnectBackoff(options.FirstReconnectDelay, options.MaxReconnectDelay, random);
    }

    /// <summary>Live counters.</summary>
    public MqttSubscriberStatistics Statistics { get; } = new();

    /// <summary>True while connected with the subscriptions in place.</summary>
    public bool IsConnected => Volatile.Read(ref _connected) != 0;

    /// <summary>Called with every reconnect delay before it is waited; for tests.</summary>
    internal Action<TimeSpan>? ReconnectDelayObserver { get; set; }

    /// <summary>Starts connecting in the background and returns at once; a broker that is down is retried, not reported.</summary>
    /// <exception cref="InvalidOperationException">Already started: a subscriber runs once; create a new one after a stop.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_run is not null)
        {
            throw new InvalidOperationException("The subscriber is already started.");
        }

        _run = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops taking new messages, lets the handler calls in progress finish and acknowledges those it accepted, then
    /// sends DISCONNECT (the session stays on the broker). When <paramref name="cancellationToken"/> fires first, the
    /// handler calls are cancelled and their messages stay unacknowledged, to be resent at the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_run is null || _run.IsCompleted)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await _run.ConfigureAwait(false);
        }
    }

    /// <summary>Stops at once: handler calls in progress are cancelled and their messages left unacknowledged.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken stopping = _stopping.Token;
        MqttClientOptions clientOptions = _options.ToClientOptions();
        while (!stopping.IsCancellationRequested)
        {
            long started = _options.TimeProvider.GetTimestamp();
            ConnectionOutcome outcome;
            try
            {
                if (_options.PasswordProvider is { } provider)
                {
                    clientOptions.Password = await provider(stopping).ConfigureAwait(false);
                }

                outcome = await RunConnectionAsync(clientOptions, stopping).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                // No credentials this time (the signer is unreachable): back off and ask again, as for a refused connection.
                outcome = new ConnectionOutcome(false, "no credentials: " + ex.Message);
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            // A connection that stayed up as long as the largest delay was healthy: the next failure is a new episode.
            if (outcome.Connected && _options.TimeProvider.GetElapsedTime(started) >= _options.MaxReconnectDelay)
            {
                _backoff.Reset();
            }

            int attempt = _backoff.Attempt + 1;
            TimeSpan delay = _backoff.Next();
            ReconnectDelayObserver?.Invoke(delay);
            if (outcome.Connected)
            {
                MqttSubscriberLog.ConnectionLost(_logger, _options.Host, _options.Port, (long)delay.TotalMilliseconds);
            }
            else
            {
                MqttSubscriberLog.ConnectFailed(_logger, _options.Host, _options.Port, attempt, outcome.Failure ?? "refused", (long)delay.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(delay, _options.TimeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One connection from CONNECT to its end. Never throws.</summary>
    private async Task<ConnectionOutcome> RunConnectionAsync(MqttClientOptions clientOptions, CancellationToken stopping)
    {
        var client = new MqttClient();
        bool connected = false;
        try
        {
            MqttConnectResult result = await client.ConnectAsync(clientOptions, stopping).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                Interlocked.Increment(ref Statistics._connectFailures);
                MqttSubscriberLog.ConnectRefused(_logger, _options.ClientId, result.ReasonCode);
                return new ConnectionOutcome(false, result.ReasonCode.ToString());
            }

            connected = true;
            if (Interlocked.Increment(ref Statistics._connects) > 1)
            {
                Interlocked.Increment(ref Statistics._reconnects);
            }

            MqttSubscriberLog.Connected(_logger, _options.Host, _options.Port, _options.ClientId, result.SessionPresent);
            if (!result.SessionPresent)
            {
                await SubscribeAsync(client, stopping).ConfigureAwait(false);
            }

            Volatile.Write(ref _current, client);
            Volatile.Write(ref _connected, 1);
            if (_options.Connected is { } connectedCallback)
            {
                // Not awaited: the callback may wait for answers that only the receive loop below can deliver.
                _ = Task.Run(() => InvokeConnectedAsync(connectedCallback, result.SessionPresent, stopping), CancellationToken.None);
            }

            await RunSessionAsync(client, stopping).ConfigureAwait(false);
            return new ConnectionOutcome(true, null);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or ObjectDisposedException or InvalidOperationException or OperationCanceledException or AuthenticationException)
        {
            if (!connected)
            {
                Interlocked.Increment(ref Statistics._connectFailures);
            }

            return new ConnectionOutcome(connected, ex.Message);
        }
        catch (Exception ex)
        {
            // Not expected; logged, and the loop goes on reconnecting rather than leave the ingress dead.
            MqttSubscriberLog.UnexpectedError(_logger, ex);
            if (!connected)
            {
                Interlocked.Increment(ref Statistics._connectFailures);
            }

            return new ConnectionOutcome(connected, ex.Message);
        }
        finally
        {
            Volatile.Write(ref _connected, 0);
            Volatile.Write(ref _current, null);
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes on the current connection, for request/response flows that share it (an IoT Hub module's twin and
    /// method answers, its outputs). Not queued: with no connection it fails at once, and the caller decides whether
    /// to retry, since a queued twin request would be answered on a connection that no longer waits for it.
    /// </summary>
    /// <exception cref="MqttNotConnectedException">No connection at the moment.</exception>
    public async Task<MqttPublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, CancellationToken cancellationToken)
    {
        MqttClient client = Volatile.Read(ref _current) ?? throw new MqttNotConnectedException();
        try
        {
            return await client.PublishAsync(topic, payload, qos, false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection went away under the publish; the reconnect loop is already on it.
            throw new MqttNotConnectedException(ex);
        }
    }

    /// <summary>
    /// Ends the current connection with DISCONNECT 0x00 so the loop makes a new one at once, asking the password
    /// provider again: how a SAS token is renewed before it expires. Messages not yet acknowledged come again.
    /// </summary>
    public void Reconnect()
    {
        if (Volatile.Read(ref _current) is { } client)
        {
            _backoff.Reset();
            _ = client.DisconnectAsync(CancellationToken.None);
        }
    }

    private async Task InvokeConnectedAsync(Func<bool, CancellationToken, Task> callback, bool sessionPresent, CancellationToken stopping)
    {
        try
        {
            await callback(sessionPresent, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            MqttSubscriberLog.UnexpectedError(_logger, ex);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task SubscribeAsync(MqttClient client, CancellationToken stopping)
    {
        foreach (string filter in _options.TopicFilters)
        {
            MqttSubscribeResult subscribed = await client.SubscribeAsync(filter, Protocol.MqttQualityOfServiceLevel.AtLeastOnce, stopping).ConfigureAwait(false);
            if (!subscribed.IsSuccess)
            {
                // Retrying does not help (e.g. 0x87 Not authorized); the other filters still work.
                MqttSubscriberLog.SubscribeRefused(_logger, filter, subscribed.ReasonCode);
            }
            else if (subscribed.ReasonCode == Protocol.MqttSubscribeReasonCode.GrantedQoS0)
            {
                MqttSubscriberLog.SubscribeDowngraded(_logger, filter);
            }
        }
    }

    private readonly record struct ConnectionOutcome(bool Connected, string? Failure);
}
