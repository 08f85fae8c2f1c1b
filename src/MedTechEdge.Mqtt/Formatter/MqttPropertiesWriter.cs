using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Writes a 5.0 property block. The properties go to a scratch buffer first because the block starts with its own
/// length as a Variable Byte Integer (MQTT 5.0 §2.2.2.1).
/// </summary>
internal static class MqttPropertiesWriter
{
    public static void Write(MqttBufferWriter output, MqttBufferWriter scratch, MqttProperties? p)
    {
        scratch.Reset();
        if (p is not null)
        {
            WriteAll(scratch, p);
        }

        output.WriteVariableByteInteger((uint)scratch.Length);
        output.WriteBytes(scratch.WrittenSpan);
    }

    private static void WriteAll(MqttBufferWriter w, MqttProperties p)
    {
        WriteByte(w, MqttPropertyId.PayloadFormatIndicator, p.PayloadFormatIndicator);
        WriteUInt32(w, MqttPropertyId.MessageExpiryInterval, p.MessageExpiryInterval);
        WriteString(w, MqttPropertyId.ContentType, p.ContentType);
        WriteString(w, MqttPropertyId.ResponseTopic, p.ResponseTopic);
        WriteBinary(w, MqttPropertyId.CorrelationData, p.CorrelationData);
        if (p.SubscriptionIdentifiers is { } ids)
        {
            foreach (uint id in ids)
            {
                w.WriteByte((byte)MqttPropertyId.SubscriptionIdentifier);
                w.WriteVariableByteInteger(id);
            }
        }

        WriteUInt32(w, MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval);
        WriteString(w, MqttPropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier);
        WriteUInt16(w, MqttPropertyId.ServerKeepAlive, p.ServerKeepAlive);
        WriteString(w, MqttPropertyId.AuthenticationMethod, p.AuthenticationMethod);
        WriteBinary(w, MqttPropertyId.AuthenticationData, p.AuthenticationData);
        WriteByte(w, MqttPropertyId.RequestProblemInformation, p.RequestProblemInformation);
        WriteUInt32(w, MqttPropertyId.WillDelayInterval, p.WillDelayInterval);
        WriteByte(w, MqttPropertyId.RequestResponseInformation, p.RequestResponseInformation);
        WriteString(w, MqttPropertyId.ResponseInformation, p.ResponseInformation);
        WriteString(w, MqttPropertyId.ServerReference, p.ServerReference);
        WriteString(w, MqttPropertyId.ReasonString, p.ReasonString);
        WriteUInt16(w, MqttPropertyId.ReceiveMaximum, p.ReceiveMaximum);
        WriteUInt16(w, MqttPropertyId.TopicAliasMaximum, p.TopicAliasMaximum);
        WriteUInt16(w, MqttPropertyId.TopicAlias, p.TopicAlias);
        WriteByte(w, MqttPropertyId.MaximumQoS, p.MaximumQoS);
        WriteByte(w, MqttPropertyId.RetainAvailable, p.RetainAvailable);
        if (p.UserProperties is { } userProperties)
        {
            // Order is kept on the wire [MQTT-3.3.2-18].
            foreach (MqttUserProperty property in userProperties)
            {
                w.WriteByte((byte)MqttPropertyId.UserProperty);
                w.WriteString(property.Name);
                w.WriteString(property.Value);
            }
        }

        WriteUInt32(w, MqttPropertyId.MaximumPacketSize, p.MaximumPacketSize);
        WriteByte(w, MqttPropertyId.WildcardSubscriptionAvailable, p.WildcardSubscriptionAvailable);
        WriteByte(w, MqttPropertyId.SubscriptionIdentifierAvailable, p.SubscriptionIdentifierAvailable);
        WriteByte(w, MqttPropertyId.SharedSubscriptionAvailable, p.SharedSubscriptionAvailable);
    }

    private static void WriteByte(MqttBufferWriter w, MqttPropertyId id, byte? value)
    {
        if (value is byte v)
        {
            w.WriteByte((byte)id);
            w.WriteByte(v);
        }
    }

    private static void WriteUInt16(MqttBufferWriter w, MqttPropertyId id, ushort? value)
    {
        if (value is ushort v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt16(v);
        }
    }

    private static void WriteUInt32(MqttBufferWriter w, MqttPropertyId id, uint? value)
    {
        if (value is uint v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt32(v);
        }
    }

    private static void WriteString(MqttBufferWriter w, MqttPropertyId id, string? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteString(value);
        }
    }

    private static void WriteBinary(MqttBufferWriter w, MqttPropertyId id, byte[]? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteBinary(value);
        }
    }
}
