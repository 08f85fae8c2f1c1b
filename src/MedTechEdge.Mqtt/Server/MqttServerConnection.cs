using System.Net.Sockets;
using System.Threading.Channels;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Security;
using MedTechEdge.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// One client connection on the broker. Three loops share it:
/// the receive loop (this file's <see cref="RunAsync"/>) reads and handles packets in order;
/// the acknowledgement loop (<c>.Ingest.cs</c>) awaits ingest results in receive order and sends PUBACK / PUBREC,
/// so several QoS 1 messages per connection are with the handler at once while acks keep their order (MQTT 5.0 §4.6);
/// the delivery loop (<c>.Delivery.cs</c>) drains the session outbox to the client within its Receive Maximum.
/// Every failure ends in <see cref="RunAsync"/>'s handlers: nothing escapes to the accept loop.
/// </summary>
internal sealed partial class MqttServerConnection
{
    private static readonly TimeSpan s_closeSendTimeout = TimeSpan.FromSeconds(1);

    // How long a closing connection waits for outstanding ingest calls. A handler that ignores cancellation must not
    // hold up server shutdown; its buffers are then returned whenever it completes (the loop keeps running).
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(5);

    private readonly MqttBroker _broker;
    private readonly MqttPacketChannel _channel;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _connectionCts;
    private readonly Channel<MqttPendingPublish> _pending;
    private readonly MqttTransportAuthentication _transport;
    private readonly System.Net.IPAddress? _remoteAddress;
    private MqttServerSession? _session;
    private MqttConnectPacket? _connect;
    private string _clientId = string.Empty;
    private bool _sendWill;
    private volatile bool _takenOver;
    private int _incomingInflight;

    /// <param name="stream">The authenticated TLS stream over <paramref name="socket"/>, or null for plain TCP.</param>
    public MqttServerConnection(MqttBroker broker, Socket socket, Stream? stream, MqttTransportAuthentication transport, CancellationToken serverToken)
    {
        _broker = broker;
        _logger = broker.Logger;
        _transport = transport;
        _remoteAddress = (socket.RemoteEndPoint as System.Net.IPEndPoint)?.Address;
        _channel = stream is null ? new MqttPacketChannel(socket, broker.BufferPool) : new MqttPacketChannel(socket, stream, broker.BufferPool);
        _channel.MaximumIncomingPacketSize = broker.Options.MaximumPacketSize;
        _connectionCts = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
        // Capacity doubles as back-pressure for 3.1.1 clients, which have no Receive Maximum: reading stops while full.
        _pending = Channel.CreateBounded<MqttPendingPublish>(new BoundedChannelOptions(broker.Options.ReceiveMaximum)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    private bool IsV5 => _channel.ProtocolVersion == MqttProtocolVersion.V500;

    public string ClientId => _clientId;

    public async Task RunAsync()
    {
        Task ackLoop = Task.CompletedTask;
        Task deliveryLoop = Task.CompletedTask;
        MqttDisconnectReasonCode? closeReason = null;
        try
        {
            if (!await ConnectAsync().ConfigureAwait(false))
            {
                return;
            }

            Interlocked.Increment(ref _broker.Statistics._connectedClients);
            ackLoop = Task.Run(() => RunGuardedAsync(AcknowledgeLoopAsync));
            deliveryLoop = Task.Run(() => RunGuardedAsync(DeliveryLoopAsync));
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (MqttProtocolException ex)
        {
            Interlocked.Increment(ref _broker.Statistics._protocolErrors);
            MqttServerLog.ProtocolViolation(_logger, _channel.RemoteEndPoint, _clientId, ex.ReasonCode, ex.Message);
            closeReason = ex.ReasonCode;
        }
        catch (OperationCanceledException) when (_takenOver)
        {
            // DISCONNECT 0x8E was already sent by TakeOver.
        }
        catch (OperationCanceledException) when (!_connectionCts.IsCancellationRequested)
        {
            MqttServerLog.KeepAliveTimeout(_logger, _clientId);
            closeReason = MqttDisconnectReasonCode.KeepAliveTimeout;
        }
        catch (OperationCanceledException)
        {
            closeReason = MqttDisconnectReasonCode.ServerShuttingDown;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
            MqttServerLog.ConnectionLost(_logger, _clientId, ex.Message);
        }
        catch (Exception ex)
        {
            MqttServerLog.UnexpectedError(_logger, ex, _clientId);
            closeReason = MqttDisconnectReasonCode.ImplementationSpecificError;
        }
        finally
        {
            await CloseAsync(closeReason, ackLoop, deliveryLoop).ConfigureAwait(false);
        }
    }

    private async Task CloseAsync(MqttDisconnectReasonCode? closeReason, Task ackLoop, Task deliveryLoop)
    {
        // MQTT 5.0 §4.13: tell a 5.0 client why before closing. 3.1.1 has no server DISCONNECT: just close.
        if (closeReason is { } reason && _session is not null && IsV5 && !_takenOver)
        {
            await _channel.TrySendAsync(new MqttDisconnectPacket { ReasonCode = reason }, s_closeSendTimeout).ConfigureAwait(false);
        }

        _connectionCts.Cancel();
        _pending.Writer.TryComplete();
        _channel.Abort();
        try
        {
            await Task.WhenAll(ackLoop, deliveryLoop).WaitAsync(s_drainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            MqttServerLog.DrainTimeout(_logger, _clientId, s_drainTimeout.TotalSeconds);
        }
        catch (Exception ex)
        {
            MqttServerLog.LoopFailed(_logger, ex, _clientId);
        }

        if (_session is not null)
        {
            // Counted out after the detach: whoever sees the count drop sees the will and the session expiry decided.
            _broker.DetachSession(this, _session, _sendWill && _connect is { HasWill: true } ? _connect : null);
            Interlocked.Decrement(ref _broker.Statistics._connectedClients);
        }

        await _channel.DisposeAsync().ConfigureAwait(false);
        // Dispose the linked source (it holds a registration on the server token) once no loop can touch it.
        _ = Task.WhenAll(ackLoop, deliveryLoop).ContinueWith(static (_, cts) => ((CancellationTokenSource)cts!).Dispose(), _connectionCts, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A background loop that fails unexpectedly closes the connection instead of leaving it half alive.</summary>
    private async Task RunGuardedAsync(Func<Task> loop)
    {
        try
        {
            await loop().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            MqttServerLog.LoopFailed(_logger, ex, _clientId);
            _channel.Abort();
        }
    }

    /// <summary>Another connection claimed this client id [MQTT-3.1.4-3]: DISCONNECT 0x8E (5.0), then close.</summary>
    public void TakeOver()
    {
        _takenOver = true;
        _ = TakeOverAsync();
    }

    private async Task TakeOverAsync()
    {
        if (IsV5)
        {
            await _channel.TrySendAsync(new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.SessionTakenOver }, s_closeSendTimeout).ConfigureAwait(false);
        }

        _channel.Abort();
        try
        {
            // Stop this connection's delivery loop at once: the new connection reads the same session outbox.
            await _connectionCts.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
