using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

internal static partial class MqttPacketDecoder
{
    /// <summary>SUBSCRIBE (MQTT 5.0 §3.8.2-§3.8.3). Filter validity is judged by the server, which answers 0x8F per filter.</summary>
    private static MqttSubscribePacket DecodeSubscribe(ref MqttSpanReader reader, MqttProtocolVersion version)
    {
        var packet = new MqttSubscribePacket { PacketId = ReadPacketId(ref reader) };
        bool v5 = version == MqttProtocolVersion.V500;
        if (v5)
        {
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.Subscribe, packet.Properties);
        }

        while (!reader.IsEnd)
        {
            string filter = reader.ReadString();
            byte options = reader.ReadByte();
            int qos = options & 0x03;
            if (qos == 3)
            {
                MqttThrowHelper.ThrowMalformed("Subscription QoS 3 [MQTT-3-8.3-4] (the id is spelled so in 3.1.1).");
            }

            if (!v5)
            {
                if ((options & 0xFC) != 0)
                {
                    MqttThrowHelper.ThrowMalformed("SUBSCRIBE reserved option bits are set (3.1.1) [MQTT-3-8.3-4].");
                }

                packet.Filters.Add(new MqttTopicFilter(filter, (MqttQualityOfServiceLevel)qos));
                continue;
            }

            int retainHandling = (options >> 4) & 0x03;
            if ((options & 0xC0) != 0 || retainHandling == 3)
            {
                MqttThrowHelper.ThrowMalformed("SUBSCRIBE reserved option bits or Retain Handling 3 [MQTT-3.8.3-5].");
            }

            bool noLocal = (options & 0x04) != 0;
            if (noLocal && filter.StartsWith(MqttTopic.SharedPrefix, StringComparison.Ordinal))
            {
                MqttThrowHelper.ThrowProtocolError("No Local on a Shared Subscription [MQTT-3.8.3-4].");
            }

            packet.Filters.Add(new MqttTopicFilter(filter, (MqttQualityOfServiceLevel)qos, noLocal, (options & 0x08) != 0, (MqttRetainHandling)retainHandling));
        }

        if (packet.Filters.Count == 0)
        {
            MqttThrowHelper.ThrowProtocolError("SUBSCRIBE without a Topic Filter [MQTT-3.8.3-2].");
        }

        return packet;
    }

    /// <summary>SUBACK (MQTT 5.0 §3.9).</summary>
    private static MqttSubAckPacket DecodeSubAck(ref MqttSpanReader reader, MqttProtocolVersion version)
    {
        var packet = new MqttSubAckPacket { PacketId = ReadPacketId(ref reader) };
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.SubAck, packet.Properties);
        }

        while (!reader.IsEnd)
        {
            packet.ReasonCodes.Add((MqttSubscribeReasonCode)reader.ReadByte());
        }

        return packet;
    }

    /// <summary>UNSUBSCRIBE (MQTT 5.0 §3.10).</summary>
    private static MqttUnsubscribePacket DecodeUnsubscribe(ref MqttSpanReader reader, MqttProtocolVersion version)
    {
        var packet = new MqttUnsubscribePacket { PacketId = ReadPacketId(ref reader) };
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.Unsubscribe, packet.Properties);
        }

        while (!reader.IsEnd)
        {
            packet.Filters.Add(reader.ReadString());
        }

        if (packet.Filters.Count == 0)
        {
            MqttThrowHelper.ThrowProtocolError("UNSUBSCRIBE without a Topic Filter [MQTT-3.10.3-2].");
        }

        return packet;
    }

    /// <summary>UNSUBACK (MQTT 5.0 §3.11; 3.1.1 has only the packet identifier).</summary>
    private static MqttUnsubAckPacket DecodeUnsubAck(ref MqttSpanReader reader, MqttProtocolVersion version)
    {
        var packet = new MqttUnsubAckPacket { PacketId = ReadPacketId(ref reader) };
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.UnsubAck, packet.Properties);
            while (!reader.IsEnd)
            {
                packet.ReasonCodes.Add((MqttUnsubscribeReasonCode)reader.ReadByte());
            }
        }

        CheckEnd(ref reader, MqttPacketType.UnsubAck);
        return packet;
    }

    /// <summary>DISCONNECT (MQTT 5.0 §3.14): Remaining Length 0 means 0x00 Normal disconnection without properties.</summary>
    private static MqttDisconnectPacket DecodeDisconnect(ref MqttSpanReader reader, MqttProtocolVersion version)
    {
        var packet = new MqttDisconnectPacket();
        if (version == MqttProtocolVersion.V500 && !reader.IsEnd)
        {
            packet.ReasonCode = (MqttDisconnectReasonCode)reader.ReadByte();
            if (!reader.IsEnd)
            {
                MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.Disconnect, packet.Properties);
            }
        }

        CheckEnd(ref reader, MqttPacketType.Disconnect);
        return packet;
    }

    /// <summary>AUTH (MQTT 5.0 §3.15): Remaining Length 0 means 0x00 Success.</summary>
    private static MqttAuthPacket DecodeAuth(ref MqttSpanReader reader)
    {
        var packet = new MqttAuthPacket();
        if (!reader.IsEnd)
        {
            packet.ReasonCode = (MqttAuthenticateReasonCode)reader.ReadByte();
            MqttPropertiesReader.Read(ref reader, (int)MqttPacketType.Auth, packet.Properties);
        }

        CheckEnd(ref reader, MqttPacketType.Auth);
        return packet;
    }
}
