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
}
