using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

internal sealed partial class MqttPacketEncoder
{
    private void EncodeConnect(MqttConnectPacket p)
    {
        bool v5 = p.ProtocolVersion == MqttProtocolVersion.V500;
        _body.WriteString("MQTT");
        _body.WriteByte((byte)p.ProtocolVersion);
        byte flags = 0;
        if (p.CleanStart)
        {
            flags |= 0x02;
        }

        if (p.HasWill)
        {
            flags |= (byte)(0x04 | ((byte)p.WillQoS << 3) | (p.WillRetain ? 0x20 : 0));
        }

        if (p.Password is not null)
        {
            flags |= 0x40;
        }

        if (p.Username is not null)
        {
            flags |= 0x80;
        }

        _body.WriteByte(flags);
        _body.WriteUInt16(p.KeepAlive);
        if (v5)
        {
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }

        _body.WriteString(p.ClientId);
        if (p.HasWill)
        {
            if (v5)
            {
                MqttPropertiesWriter.Write(_body, _properties, p.WillProperties);
            }

            _body.WriteString(p.WillTopic);
            _body.WriteBinary(p.WillPayload);
        }

        if (p.Username is not null)
        {
            _body.WriteString(p.Username);
        }

        if (p.Password is not null)
        {
            _body.WriteBinary(p.Password);
        }
    }

    private void EncodeConnAck(MqttConnAckPacket p, bool v5)
    {
        _body.WriteByte(p.SessionPresent ? (byte)1 : (byte)0);
        if (v5)
        {
            _body.WriteByte((byte)p.ReasonCode);
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }
        else
        {
            _body.WriteByte((byte)MqttConnectReturnCodeConverter.ToReturnCode(p.ReasonCode));
        }
    }

    private byte EncodePublish(MqttPublishPacket p, bool v5)
    {
        _body.WriteString(p.Topic);
        if (p.QoS != MqttQualityOfServiceLevel.AtMostOnce)
        {
            _body.WriteUInt16(p.PacketId);
        }

        if (v5)
        {
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }

        return (byte)((p.Dup ? 0x08 : 0) | ((byte)p.QoS << 1) | (p.Retain ? 0x01 : 0));
    }

    private void EncodeAck(MqttAckPacket p, bool v5)
    {
        _body.WriteUInt16(p.PacketId);
        if (!v5)
        {
            return;
        }

        bool hasProperties = p.Properties.ReasonString is not null || p.Properties.UserProperties is not null;
        // MQTT 5.0 §3.4.2.1: reason 0x00 without properties may be (and here is) sent as the short form.
        if (p.ReasonCode == 0 && !hasProperties)
        {
            return;
        }

        _body.WriteByte(p.ReasonCode);
        if (hasProperties)
        {
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }
    }

    private void EncodeSubscribe(MqttSubscribePacket p, bool v5)
    {
        _body.WriteUInt16(p.PacketId);
        if (v5)
        {
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }

        foreach (MqttTopicFilter filter in p.Filters)
        {
            _body.WriteString(filter.Filter);
            byte options = (byte)filter.QoS;
            if (v5)
            {
                options |= (byte)((filter.NoLocal ? 0x04 : 0) | (filter.RetainAsPublished ? 0x08 : 0) | ((byte)filter.RetainHandling << 4));
            }

            _body.WriteByte(options);
        }
    }

    private void EncodeSubAck(MqttSubAckPacket p, bool v5)
    {
        _body.WriteUInt16(p.PacketId);
        if (v5)
        {
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }

        foreach (MqttSubscribeReasonCode code in p.ReasonCodes)
        {
            // 3.1.1 knows only 0x00-0x02 and 0x80 Failure (3.1.1 §3.9.3).
            _body.WriteByte(v5 || (byte)code <= 2 ? (byte)code : (byte)0x80);
        }
    }

    private void EncodeUnsubscribe(MqttUnsubscribePacket p, bool v5)
    {
        _body.WriteUInt16(p.PacketId);
        if (v5)
        {
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }

        foreach (string filter in p.Filters)
        {
            _body.WriteString(filter);
        }
    }

    private void EncodeUnsubAck(MqttUnsubAckPacket p, bool v5)
    {
        _body.WriteUInt16(p.PacketId);
        if (!v5)
        {
            return;
        }

        MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        foreach (MqttUnsubscribeReasonCode code in p.ReasonCodes)
        {
            _body.WriteByte((byte)code);
        }
    }

    private void EncodeDisconnect(MqttDisconnectPacket p, bool v5)
    {
        if (!v5)
        {
            return;
        }

        bool hasProperties = p.Properties.ReasonString is not null || p.Properties.UserProperties is not null
            || p.Properties.SessionExpiryInterval is not null || p.Properties.ServerReference is not null;
        // MQTT 5.0 §3.14.2.1: Remaining Length 0 means Normal disconnection.
        if (p.ReasonCode == MqttDisconnectReasonCode.NormalDisconnection && !hasProperties)
        {
            return;
        }

        _body.WriteByte((byte)p.ReasonCode);
        if (hasProperties)
        {
            MqttPropertiesWriter.Write(_body, _properties, p.Properties);
        }
    }
}
