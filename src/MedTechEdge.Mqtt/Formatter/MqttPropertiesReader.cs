using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>Reads a 5.0 property block: Property Length (VBI) then id/value pairs (MQTT 5.0 §2.2.2).</summary>
internal static class MqttPropertiesReader
{
    public static void Read(ref MqttSpanReader reader, int owner, MqttProperties properties)
    {
        uint length = reader.ReadVariableByteInteger();
        if (length > (uint)reader.Remaining)
        {
            MqttThrowHelper.ThrowMalformed("Property Length runs past the end of the packet (MQTT 5.0 §2.2.2.1).");
        }

        var block = new MqttSpanReader(reader.ReadBytes((int)length));
        ulong seen = 0;
        while (!block.IsEnd)
        {
            var id = (MqttPropertyId)block.ReadVariableByteInteger();
            if (!MqttPropertyRules.IsAllowed(id, owner))
            {
                MqttThrowHelper.ThrowProtocolError($"Property 0x{(byte)id:X2} is not allowed in this packet (MQTT 5.0 §2.2.2.2).");
            }

            // Ids are below 64, so one ulong records which were seen.
            ulong bit = 1UL << (int)id;
            if ((seen & bit) != 0 && !MqttPropertyRules.MayRepeat(id, owner))
            {
                MqttThrowHelper.ThrowProtocolError($"Property 0x{(byte)id:X2} appears twice (MQTT 5.0 §2.2.2.2).");
            }

            seen |= bit;
            ReadValue(ref block, id, properties);
        }
    }

    private static void ReadValue(ref MqttSpanReader block, MqttPropertyId id, MqttProperties p)
    {
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = ReadFlag(ref block, id); break;
            case MqttPropertyId.MessageExpiryInterval: p.MessageExpiryInterval = block.ReadUInt32(); break;
            case MqttPropertyId.ContentType: p.ContentType = block.ReadString(); break;
            case MqttPropertyId.ResponseTopic: p.ResponseTopic = block.ReadString(); break;
            case MqttPropertyId.CorrelationData: p.CorrelationData = block.ReadBinary().ToArray(); break;
            case MqttPropertyId.SubscriptionIdentifier:
                uint subscriptionId = block.ReadVariableByteInteger();
                if (subscriptionId == 0)
                {
                    MqttThrowHelper.ThrowProtocolError("Subscription Identifier 0 [MQTT-3.8.2-1].");
                }

                (p.SubscriptionIdentifiers ??= []).Add(subscriptionId);
                break;
            case MqttPropertyId.SessionExpiryInterval: p.SessionExpiryInterval = block.ReadUInt32(); break;
            case MqttPropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = block.ReadString(); break;
            case MqttPropertyId.ServerKeepAlive: p.ServerKeepAlive = block.ReadUInt16(); break;
            case MqttPropertyId.AuthenticationMethod: p.AuthenticationMethod = block.ReadString(); break;
            case MqttPropertyId.AuthenticationData: p.AuthenticationData = block.ReadBinary().ToArray(); break;
            case MqttPropertyId.RequestProblemInformation: p.RequestProblemInformation = ReadFlag(ref block, id); break;
            case MqttPropertyId.WillDelayInterval: p.WillDelayInterval = block.ReadUInt32(); break;
            case MqttPropertyId.RequestResponseInformation: p.RequestResponseInformation = ReadFlag(ref block, id); break;
            case MqttPropertyId.ResponseInformation: p.ResponseInformation = block.ReadString(); break;
            case MqttPropertyId.ServerReference: p.ServerReference = block.ReadString(); break;
            case MqttPropertyId.ReasonString: p.ReasonString = block.ReadString(); break;
            case MqttPropertyId.ReceiveMaximum: p.ReceiveMaximum = ReadNonZeroUInt16(ref block, "Receive Maximum 0 is a Protocol Error (MQTT 5.0 §3.1.2.11.3)."); break;
            case MqttPropertyId.TopicAliasMaximum: p.TopicAliasMaximum = block.ReadUInt16(); break;
            case MqttPropertyId.TopicAlias: p.TopicAlias = ReadNonZeroUInt16(ref block, "Topic Alias 0 [MQTT-3.3.2-8]."); break;
            case MqttPropertyId.MaximumQoS: p.MaximumQoS = ReadFlag(ref block, id); break;
            case MqttPropertyId.RetainAvailable: p.RetainAvailable = ReadFlag(ref block, id); break;
            case MqttPropertyId.UserProperty:
                string name = block.ReadString();
                string value = block.ReadString();
                p.AddUserProperty(name, value);
                break;
            case MqttPropertyId.MaximumPacketSize:
                uint maximumPacketSize = block.ReadUInt32();
                if (maximumPacketSize == 0)
                {
                    MqttThrowHelper.ThrowProtocolError("Maximum Packet Size 0 (MQTT 5.0 §3.1.2.11.4).");
                }

                p.MaximumPacketSize = maximumPacketSize;
                break;
            case MqttPropertyId.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = ReadFlag(ref block, id); break;
            case MqttPropertyId.SubscriptionIdentifierAvailable: p.SubscriptionIdentifierAvailable = ReadFlag(ref block, id); break;
            case MqttPropertyId.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = ReadFlag(ref block, id); break;
            default:
                MqttThrowHelper.ThrowProtocolError($"Unknown property 0x{(byte)id:X2} (MQTT 5.0 §2.2.2.2).");
                break;
        }
    }

    private static byte ReadFlag(ref MqttSpanReader block, MqttPropertyId id)
    {
        byte value = block.ReadByte();
        if (value > 1)
        {
            MqttThrowHelper.ThrowProtocolError($"Property 0x{(byte)id:X2} must be 0 or 1 (MQTT 5.0 §2.2.2.2).");
        }

        return value;
    }

    private static ushort ReadNonZeroUInt16(ref MqttSpanReader block, string error)
    {
        ushort value = block.ReadUInt16();
        if (value == 0)
        {
            MqttThrowHelper.ThrowProtocolError(error);
        }

        return value;
    }
}
