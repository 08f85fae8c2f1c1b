using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Simulation;

/// <summary>Settings of <see cref="MqttDeviceTransport"/>.</summary>
public sealed class MqttDeviceTransportOptions
{
    /// <summary>Broker host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Topic per device; "{deviceId}" is replaced. The default is IoT Hub's device-to-cloud topic.</summary>
    public string TopicPattern { get; set; } = "devices/{deviceId}/messages/events/";

    /// <summary>QoS of the messages.</summary>
    public MqttQualityOfServiceLevel QoS { get; set; } = MqttQualityOfServiceLevel.AtLeastOnce;

    /// <summary>Protocol version the devices speak.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V311;
}
