using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// One session's subscription. <see cref="Filter"/> is the filter matched against topics; for a Shared Subscription
/// (MQTT 5.0 §4.8.2) it is the part after "$share/{ShareName}/" and <see cref="ShareName"/> is set.
/// </summary>
internal sealed record MqttSubscription(
    MqttServerSession Session,
    string FullFilter,
    string Filter,
    string? ShareName,
    MqttQualityOfServiceLevel QoS,
    bool NoLocal,
    bool RetainAsPublished,
    MqttRetainHandling RetainHandling,
    uint? SubscriptionIdentifier);
