using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Which packet may carry which property (MQTT 5.0 §2.2.2.2, table 2-4). Each entry is a bit mask over packet types:
/// bit n is packet type n, and bit 0 (a reserved packet type) stands for the Will Properties of CONNECT.
/// A property in the wrong packet, or repeated where only one is allowed, is a Protocol Error (§2.2.2.2).
/// </summary>
internal static class MqttPropertyRules
{
    public const int WillOwner = 0;

    private const ushort Will = 1 << 0;
    private const ushort Connect = 1 << 1;
    private const ushort ConnAck = 1 << 2;
    private const ushort Publish = 1 << 3;
    private const ushort PubAck = 1 << 4;
    private const ushort PubRec = 1 << 5;
    private const ushort PubRel = 1 << 6;
    private const ushort PubComp = 1 << 7;
    private const ushort Subscribe = 1 << 8;
    private const ushort SubAck = 1 << 9;
    private const ushort Unsubscribe = 1 << 10;
    private const ushort UnsubAck = 1 << 11;
    private const ushort Disconnect = 1 << 14;
    private const ushort Auth = 1 << 15;
    private const ushort All = 0xFFFF;

    public static bool IsAllowed(MqttPropertyId id, int owner)
    {
        ushort mask = id switch
        {
            MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.ContentType
                or MqttPropertyId.ResponseTopic or MqttPropertyId.CorrelationData => Publish | Will,
            MqttPropertyId.SubscriptionIdentifier => Publish | Subscribe,
            MqttPropertyId.SessionExpiryInterval => Connect | ConnAck | Disconnect,
            MqttPropertyId.AssignedClientIdentifier or MqttPropertyId.ServerKeepAlive or MqttPropertyId.ResponseInformation
                or MqttPropertyId.MaximumQoS or MqttPropertyId.RetainAvailable or MqttPropertyId.WildcardSubscriptionAvailable
                or MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable => ConnAck,
            MqttPropertyId.AuthenticationMethod or MqttPropertyId.AuthenticationData => Connect | ConnAck | Auth,
            MqttPropertyId.RequestProblemInformation or MqttPropertyId.RequestResponseInformation => Connect,
            MqttPropertyId.WillDelayInterval => Will,
            MqttPropertyId.ServerReference => ConnAck | Disconnect,
            MqttPropertyId.ReasonString => ConnAck | PubAck | PubRec | PubRel | PubComp | SubAck | UnsubAck | Disconnect | Auth,
            MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAliasMaximum or MqttPropertyId.MaximumPacketSize => Connect | ConnAck,
            MqttPropertyId.TopicAlias => Publish,
            MqttPropertyId.UserProperty => All,
            _ => 0,
        };

        return (mask & (1 << owner)) != 0;
    }

    /// <summary>User Property may repeat anywhere; Subscription Identifier may repeat in PUBLISH (§3.3.2.3.8).</summary>
    public static bool MayRepeat(MqttPropertyId id, int owner) =>
        id == MqttPropertyId.UserProperty || (id == MqttPropertyId.SubscriptionIdentifier && owner == (int)MqttPacketType.Publish);
}
