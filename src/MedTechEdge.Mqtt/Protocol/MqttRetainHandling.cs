namespace MedTechEdge.Mqtt.Protocol;

/// <summary>Subscription option Retain Handling (MQTT 5.0 §3.8.3.1).</summary>
internal enum MqttRetainHandling : byte
{
    SendAtSubscribe = 0,
    SendAtSubscribeIfNewSubscription = 1,
    DoNotSendAtSubscribe = 2,
}
