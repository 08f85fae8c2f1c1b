using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

/// <summary>Outcome of <see cref="IMqttIngestHandler.OnPublishAsync"/>: a PUBACK / PUBREC reason code (MQTT 5.0 §3.4.2.1).</summary>
public readonly record struct MqttIngestResult(MqttPubAckReasonCode ReasonCode)
{
    /// <summary>The message is stored: acknowledge it with 0x00 Success.</summary>
    public static MqttIngestResult Accepted => new(MqttPubAckReasonCode.Success);

    /// <summary>True for reason codes below 0x80 (MQTT 5.0 §2.4).</summary>
    public bool IsAccepted => (byte)ReasonCode < 0x80;

    /// <summary>A negative acknowledgement, e.g. <see cref="MqttPubAckReasonCode.QuotaExceeded"/> when the store is full.</summary>
    public static MqttIngestResult Failed(MqttPubAckReasonCode reasonCode)
    {
        if ((byte)reasonCode < 0x80)
        {
            throw new ArgumentOutOfRangeException(nameof(reasonCode), reasonCode, "A failure reason code is 0x80 or above.");
        }

        return new MqttIngestResult(reasonCode);
    }
}
