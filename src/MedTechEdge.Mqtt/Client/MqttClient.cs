using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Transport;

namespace MedTechEdge.Mqtt.Client;

/// <summary>
/// MQTT 3.1.1 / 5.0 client over TCP. Publishes may be issued concurrently: each takes a packet identifier and a slot
/// of the server's Receive Maximum, and completes when its acknowledgement arrives. Received messages are written to
/// <see cref="ReceivedMessages"/>; a QoS 1 message is acknowledged once it is in that channel.
/// One instance is one connection: after a disconnect, create a new one.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<MqttPacket>> _pending = new();
    private readonly HashSet<ushort> _incomingQoS2 = [];
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttClientOptions _options = new();
    private MqttPacketChannel? _channel;
    private TaskCompletionSource<MqttConnAckPacket>? _connAck;
    private SemaphoreSlim _sendSlots = new(1, 1);
    private Task _readLoop = Task.CompletedTask;
    private Task _keepAliveLoop = Task.CompletedTask;
    private int _lastPacketId;
    private long _lastReceivedTimestamp;

    /// <summary>Messages received on subscriptions. Completes when the connection ends.</summary>
    public ChannelReader<MqttApplicationMessage> ReceivedMessages => _received.Reader;

    /// <summary>True between a successful CONNACK and the end of the connection.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>Completes when the connection ends, for whatever reason.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The reason of a DISCONNECT sent by a 5.0 server, or null.</summary>
    public MqttDisconnectReasonCode? ServerDisconnectReason { get; private set; }

    /// <summary>Opens the TCP connection, sends CONNECT and waits for CONNACK.</summary>
    /// <exception cref="SocketException">The broker cannot be reached.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">TLS: the broker's certificate is not trusted or the handshake failed.</exception>
    /// <exception cref="TimeoutException">No CONNACK within <see cref="MqttClientOptions.Timeout"/>.</exception>
    public async Task<MqttConnectResult> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_channel is not null)
        {
            throw new InvalidOperationException("An MqttClient connects once; create a new one to reconnect.");
        }

        _options = options;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (options.Tls is { } tls)
        {
            Stream secured;
            try
            {
                secured = await MqttClientTls.AuthenticateAsync(socket, options.Host, tls, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _channel = new MqttPacketChannel(socket, secured) { ProtocolVersion = options.ProtocolVersion };
        }
        else
        {
            _channel = new MqttPacketChannel(socket) { ProtocolVersion = options.ProtocolVersion };
        }

        Volatile.Write(ref _lastReceivedTimestamp, options.TimeProvider.GetTimestamp());
        _connAck = new TaskCompletionSource<MqttConnAckPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
        var connect = new MqttConnectPacket
        {
            ProtocolVersion = options.ProtocolVersion,
            ClientId = options.ClientId,
            CleanStart = options.CleanStart,
            KeepAlive = (ushort)Math.Clamp(options.KeepAlive.TotalSeconds, 0, ushort.MaxValue),
            Username = options.Username,
            Password = options.Password is null ? null : Encoding.UTF8.GetBytes(options.Password),
        };

        if (options.ProtocolVersion == MqttProtocolVersion.V500)
        {
            connect.Properties.SessionExpiryInterval = options.SessionExpiryInterval == 0 ? null : options.SessionExpiryInterval;
            connect.Properties.ReceiveMaximum = options.ReceiveMaximum;
        }

        await _channel.SendAsync(connect, cancellationToken).ConfigureAwait(false);
        MqttConnAckPacket connAck = await WaitAsync(_connAck.Task, cancellationToken).ConfigureAwait(false);
        if (connAck.ReasonCode != MqttConnectReasonCode.Success)
        {
            await CloseAsync().ConfigureAwait(false);
            return new MqttConnectResult(connAck.ReasonCode, false, null);
        }

        int slots = connAck.Properties.ReceiveMaximum ?? (options.ProtocolVersion == MqttProtocolVersion.V500 ? ushort.MaxValue : 32);
        _sendSlots = new SemaphoreSlim(slots, slots);
        IsConnected = true;
        ushort keepAlive = connAck.Properties.ServerKeepAlive ?? connect.KeepAlive;
        if (keepAlive > 0)
        {
            _keepAliveLoop = Task.Run(() => KeepAliveLoopAsync(TimeSpan.FromSeconds(keepAlive)), CancellationToken.None);
        }

        return new MqttConnectResult(connAck.ReasonCode, connAck.SessionPresent, connAck.Properties.AssignedClientIdentifier);
    }

    /// <summary>Sends DISCONNECT 0x00 (the will is discarded) and closes.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (_channel is { } channel && IsConnected)
        {
            IsConnected = false;
            await channel.TrySendAsync(new MqttDisconnectPacket(), _options.Timeout).ConfigureAwait(false);
        }

        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the connection without DISCONNECT.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _closed.Dispose();
    }

    private async Task CloseAsync()
    {
        IsConnected = false;
        if (!_closed.IsCancellationRequested)
        {
            await _closed.CancelAsync().ConfigureAwait(false);
        }

        if (_channel is { } channel)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_readLoop, _keepAliveLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on close.
        }
    }

    private async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No answer from the broker within {_options.Timeout.TotalSeconds:0.#} s.");
        }
    }

    private async Task KeepAliveLoopAsync(TimeSpan interval)
    {
        try
        {
            // MQTT 5.0 §3.1.2.10: a PINGREQ within every Keep Alive period when nothing else is sent; sending it a bit early is harmless.
            TimeProvider time = _options.TimeProvider;
            while (true)
            {
                await Task.Delay(interval * 0.75, time, _closed.Token).ConfigureAwait(false);
                // §3.1.2.10 and §3.12.4: a client that gets no PINGRESP in reasonable time SHOULD close the connection.
                // Nothing at all read for 1.5 x Keep Alive (the server's own limit) means the last PINGREQ went
                // unanswered for 0.75 x Keep Alive: a dead broker or a half-open TCP connection that would never end.
                if (time.GetElapsedTime(Volatile.Read(ref _lastReceivedTimestamp)) > interval * 1.5)
                {
                    _channel!.Abort();
                    return;
                }

                await _channel!.SendAsync(MqttPingReqPacket.Instance, _closed.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // Closing.
        }
    }
}
