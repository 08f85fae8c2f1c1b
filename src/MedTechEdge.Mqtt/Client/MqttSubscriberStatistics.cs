namespace MedTechEdge.Mqtt.Client;

/// <summary>Counters of <see cref="MqttSubscriber"/>, safe to read at any time; all are monotonic.</summary>
public sealed class MqttSubscriberStatistics
{
    internal long _messagesReceived;
    internal long _messagesRedelivered;
    internal long _messagesAcknowledged;
    internal long _handlerFailures;
    internal long _connects;
    internal long _reconnects;
    internal long _connectFailures;

    /// <summary>PUBLISH packets received and handed to the handler (redeliveries included).</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Received PUBLISH packets with DUP set: the broker resent them after a reconnect (MQTT 5.0 §4.4). They may be duplicates downstream.</summary>
    public long MessagesRedelivered => Interlocked.Read(ref _messagesRedelivered);

    /// <summary>PUBACK (QoS 1) or PUBREC (QoS 2) sent, each after the handler accepted the message.</summary>
    public long MessagesAcknowledged => Interlocked.Read(ref _messagesAcknowledged);

    /// <summary>Handler calls that threw or refused the message; QoS 1/2 ones are left unacknowledged for redelivery.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>Connections accepted by the broker (CONNACK 0x00).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Accepted connections after the first one.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Connection attempts that failed: unreachable broker, refused CONNACK, or no answer in time.</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);
}
