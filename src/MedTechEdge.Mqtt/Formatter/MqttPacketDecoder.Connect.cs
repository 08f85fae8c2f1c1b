using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

internal static partial class MqttPacketDecoder
{
    /// <summary>CONNECT (MQTT 5.0 §3.1.2-§3.1.3, 3.1.1 §3.1.2-§3.1.3). The protocol level decides the rest of the layout.</summary>
    private static MqttConnectPacket DecodeConnect(ref MqttSpanReader reader)
    {
        string protocolName = reader.ReadString();
        byte level = reader.ReadByte();
        if (protocolName != "MQTT")
        {
            // [MQTT-3.1.2-1]: the server MAY close without CONNACK; "MQIsdp" is MQTT 3.1, which is not supported.
            throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, $"Protocol name '{protocolName}' is not 'MQTT' [MQTT-3.1.2-1].")
            {
                ConnectReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion,
            };
        }

        if (level is not ((byte)MqttProtocolVersion.V311 or (byte)MqttProtocolVersion.V500))
        {
            throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, $"Protocol level {level} is not supported [MQTT-3.1.2-2].")
            {
                ConnectReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion,
            };
        }

        var packet = new MqttConnectPacket { ProtocolVersion = (MqttProtocolVersion)level };
        bool v5 = packet.ProtocolVersion == MqttProtocolVersion.V500;
        byte flags = reader.ReadByte();
        if ((flags & 0x01) != 0)
        {
            MqttThrowHelper.ThrowMalformed("CONNECT reserved flag is set [MQTT-3.1.2-3].");
        }

        packet.CleanStart = (flags & 0x02) != 0;
        packet.HasWill = (flags & 0x04) != 0;
        int willQoS = (flags >> 3) & 0x03;
        packet.WillRetain = (flags & 0x20) != 0;
        bool hasPassword = (flags & 0x40) != 0;
        bool hasUsername = (flags & 0x80) != 0;
        if (willQoS == 3)
        {
            MqttThrowHelper.ThrowMalformed("Will QoS 3 [MQTT-3.1.2-12].");
        }

        if (!packet.HasWill && (willQoS != 0 || packet.WillRetain))
        {
            MqttThrowHelper.ThrowMalformed("Will QoS or Will Retain set without the Will Flag [MQTT-3.1.2-11] [MQTT-3.1.2-13].");
        }

        if (!v5 && hasPassword && !hasUsername)
        {
            MqttThrowHelper.ThrowMalformed("Password Flag set without User Name Flag [MQTT-3.1.2-22].");
        }

        packet.WillQoS = (MqttQualityOfServiceLevel)willQoS;
        packet.KeepAlive = reader.ReadUInt16();
        if (v5)
        {
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.Connect, packet.Properties);
        }

        // Payload order is fixed: Client Identifier, Will Properties, Will Topic, Will Payload, User Name, Password [MQTT-3.1.3-1].
        packet.ClientId = reader.ReadString();
        if (packet.HasWill)
        {
            if (v5)
            {
                MqttPropertiesReader.Read(ref reader, MqttPropertyRules.WillOwner, packet.WillProperties);
            }

            packet.WillTopic = reader.ReadString();
            if (!MqttTopic.IsValidTopicName(packet.WillTopic))
            {
                MqttThrowHelper.Throw(MqttDisconnectReasonCode.TopicNameInvalid, "Will Topic is not a valid Topic Name [MQTT-3.1.3-11].");
            }

            packet.WillPayload = reader.ReadBinary().ToArray();
        }

        if (hasUsername)
        {
            packet.Username = reader.ReadString();
        }

        if (hasPassword)
        {
            packet.Password = reader.ReadBinary().ToArray();
        }

        CheckEnd(ref reader, MqttPacketType.Connect);
        return packet;
    }

    /// <summary>CONNACK (MQTT 5.0 §3.2.2, 3.1.1 §3.2.2).</summary>
    private static MqttConnAckPacket DecodeConnAck(ref MqttSpanReader reader, MqttProtocolVersion version)
    {
        byte flags = reader.ReadByte();
        if ((flags & 0xFE) != 0)
        {
            MqttThrowHelper.ThrowMalformed("CONNACK reserved flags are set [MQTT-3.2.2-1].");
        }

        var packet = new MqttConnAckPacket { SessionPresent = (flags & 0x01) != 0 };
        byte code = reader.ReadByte();
        if (version == MqttProtocolVersion.V500)
        {
            packet.ReasonCode = (MqttConnectReasonCode)code;
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.ConnAck, packet.Properties);
        }
        else
        {
            packet.ReasonCode = MqttConnectReturnCodeConverter.ToReasonCode((MqttConnectReturnCode)code);
        }

        return packet;
    }
}
