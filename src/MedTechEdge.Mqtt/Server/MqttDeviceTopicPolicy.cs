namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// Per-device authorization: which topics an authenticated device may use. A topic belongs to a device when its level
/// <see cref="MqttServerOptions.DeviceIdTopicLevel"/> equals the device's identity (username or certificate Common Name).
/// </summary>
public enum MqttDeviceTopicPolicy
{
    /// <summary>Every client may publish and subscribe anywhere.</summary>
    Off = 0,

    /// <summary>PUBLISH (and the will topic) only under the device's own topic level; subscriptions are not restricted.</summary>
    Publish = 1,

    /// <summary>PUBLISH, will topic and SUBSCRIBE only under the device's own topic level.</summary>
    PublishAndSubscribe = 2,
}
