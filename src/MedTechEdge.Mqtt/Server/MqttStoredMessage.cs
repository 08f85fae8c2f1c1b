using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// An application message as the broker keeps it for routing, retaining and queueing: immutable and shared by every
/// subscriber it goes to, with its own exact-size payload copy (the received packet's pooled buffer goes back to
/// the pool as soon as the message is routed).
/// </summary>
internal sealed class MqttStoredMessage
{
    public MqttStoredMessage(MqttPublishPacket packet, string? senderClientId, long nowTicks)
    {
        Topic = packet.Topic;
        Payload = packet.Payload.ToArray();
        QoS = packet.QoS;
        Retain = packet.Retain;
        SenderClientId = senderClientId;
        MqttProperties p = packet.Properties;
        // Forwarded unchanged [MQTT-3.3.2-4] [MQTT-3.3.2-15] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20].
        PayloadFormatIndicator = p.PayloadFormatIndicator;
        ContentType = p.ContentType;
        ResponseTopic = p.ResponseTopic;
        CorrelationData = p.CorrelationData;
        UserProperties = p.UserProperties;
        if (p.MessageExpiryInterval is uint expiry)
        {
            ExpiresAtTicks = nowTicks + (expiry * TimeSpan.TicksPerSecond);
        }
    }

    public MqttStoredMessage(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain, MqttProperties properties, string? senderClientId, long nowTicks)
        : this(new MqttPublishPacket { Topic = topic, Payload = payload, QoS = qos, Retain = retain, Properties = properties }, senderClientId, nowTicks)
    {
    }

    public string Topic { get; }
    public byte[] Payload { get; }
    public MqttQualityOfServiceLevel QoS { get; }
    public bool Retain { get; }
    public string? SenderClientId { get; }
    public byte? PayloadFormatIndicator { get; }
    public string? ContentType { get; }
    public string? ResponseTopic { get; }
    public byte[]? CorrelationData { get; }
    public List<MqttUserProperty>? UserProperties { get; }

    /// <summary>Message Expiry (MQTT 5.0 §3.3.2.3.3) as an absolute tick count on <see cref="MqttBroker.NowTicks"/>; 0 = never.</summary>
    public long ExpiresAtTicks { get; }

    public bool IsExpired(long nowTicks) => ExpiresAtTicks != 0 && nowTicks >= ExpiresAtTicks;

    /// <summary>Builds the outgoing PUBLISH for one subscriber. Remaining expiry is sent, not the original [MQTT-3.3.2-6].</summary>
    public MqttPublishPacket ToPublishPacket(MqttQualityOfServiceLevel qos, bool retain, uint? subscriptionIdentifier, long nowTicks)
    {
        var properties = new MqttProperties
        {
            PayloadFormatIndicator = PayloadFormatIndicator,
            ContentType = ContentType,
            ResponseTopic = ResponseTopic,
            CorrelationData = CorrelationData,
            UserProperties = UserProperties,
        };

        if (ExpiresAtTicks != 0)
        {
            properties.MessageExpiryInterval = (uint)Math.Max(1, (ExpiresAtTicks - nowTicks) / TimeSpan.TicksPerSecond);
        }

        if (subscriptionIdentifier is uint id)
        {
            properties.SubscriptionIdentifiers = [id];
        }

        return new MqttPublishPacket { Topic = Topic, Payload = Payload, QoS = qos, Retain = retain, Properties = properties };
    }
}

/// <summary>One message waiting in a session's outbox, with the QoS and flags of the subscription that matched.</summary>
internal readonly record struct MqttQueuedMessage(MqttStoredMessage Message, MqttQualityOfServiceLevel QoS, bool Retain, uint? SubscriptionIdentifier);
