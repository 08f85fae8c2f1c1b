using MedTechEdge.Mqtt.Transport;

namespace MedTechEdge.Mqtt.Server;

/// <summary>Counters of the embedded broker, safe to read at any time (values are monotonic except <see cref="ConnectedClients"/>).</summary>
public sealed class MqttServerStatistics
{
    internal long _connectionsAccepted;
    internal long _connectedClients;
    internal long _protocolErrors;
    internal long _messagesReceived;
    internal long _messagesIngested;
    internal long _messagesRejected;
    internal long _messagesDropped;
    internal long _authenticationFailures;
    internal long _authenticationThrottled;
    internal long _authorizationFailures;
    internal long _tlsHandshakeFailures;

    /// <summary>The pool of the connections' read and write segments; its count is <see cref="ConnectionBufferBytes"/>.</summary>
    internal MqttBufferPool BufferPool { get; } = new();

    /// <summary>TCP connections accepted.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>Connections past CONNACK and not yet closed.</summary>
    public long ConnectedClients => Interlocked.Read(ref _connectedClients);

    /// <summary>Connections closed for a malformed packet or protocol error.</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>PUBLISH packets received from clients.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Messages the ingest handler accepted.</summary>
    public long MessagesIngested => Interlocked.Read(ref _messagesIngested);

    /// <summary>Messages the ingest handler refused (or failed on).</summary>
    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);

    /// <summary>Messages dropped because a subscriber's queue was full.</summary>
    public long MessagesDropped => Interlocked.Read(ref _messagesDropped);

    /// <summary>CONNECTs refused with 0x86 Bad User Name or Password / 0x87 Not authorized (3.1.1: 0x04 / 0x05).</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    /// <summary>
    /// CONNECTs refused with 0x89 Server busy (3.1.1: 0x03) without a password check: their source address was backed
    /// off after repeated failures, or too many password checks were already waiting.
    /// </summary>
    public long AuthenticationThrottled => Interlocked.Read(ref _authenticationThrottled);

    /// <summary>PUBLISHes, will topics and subscription filters refused by the device topic policy, and CONNECTs refused because their client id's session belongs to another identity.</summary>
    public long AuthorizationFailures => Interlocked.Read(ref _authorizationFailures);

    /// <summary>Connections to the TLS listener whose handshake failed (wrong CA, plain MQTT, bad client certificate, timeout).</summary>
    public long TlsHandshakeFailures => Interlocked.Read(ref _tlsHandshakeFailures);

    /// <summary>
    /// Bytes of read and write buffers the connections hold now. A connection holds a buffer only while bytes are on
    /// their way in or out, so with every device idle this is zero however many are connected.
    /// </summary>
    public long ConnectionBufferBytes => BufferPool.RentedBytes;
}
