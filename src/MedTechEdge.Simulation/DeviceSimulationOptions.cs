using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Simulation;

/// <summary>Settings of <see cref="DeviceSimulation"/>.</summary>
public sealed class DeviceSimulationOptions
{
    /// <summary>Broker host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Number of simulated devices; kinds rotate heart rate, SpO2, blood pressure, temperature.</summary>
    public int DeviceCount { get; set; } = 4;

    /// <summary>Time between two readings of one device.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Topic per device; "{deviceId}" is replaced.</summary>
    public string TopicPattern { get; set; } = "devices/{deviceId}/messages/events/";

    /// <summary>QoS of the readings.</summary>
    public MqttQualityOfServiceLevel QoS { get; set; } = MqttQualityOfServiceLevel.AtLeastOnce;

    /// <summary>Protocol version the devices speak.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V311;

    /// <summary>Device ids are this prefix plus a two-digit number: sim-01, sim-02, ...</summary>
    public string DeviceIdPrefix { get; set; } = "sim-";

    /// <summary>Patient ids are this prefix plus the device number: patient-01, ...</summary>
    public string PatientIdPrefix { get; set; } = "patient-";

    /// <summary>Wait between connection attempts while the broker is unreachable.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed for reproducible values; null picks one.</summary>
    public int? Seed { get; set; }

    /// <summary>Clock for measurement times.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
