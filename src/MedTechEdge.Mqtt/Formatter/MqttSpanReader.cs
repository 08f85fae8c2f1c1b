using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Reads the data types of MQTT 5.0 §1.5 from one contiguous packet body. The body is complete (the frame reader
/// checked the Remaining Length), so running out of bytes here is a malformed packet, never "need more".
/// </summary>
internal ref struct MqttSpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public MqttSpanReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Remaining => _span.Length - _position;

    public readonly bool IsEnd => _position >= _span.Length;

    public byte ReadByte()
    {
        // Unsigned compare folds the negative and too-large checks into one.
        if ((uint)_position >= (uint)_span.Length)
        {
            MqttThrowHelper.ThrowTruncated();
        }

        return _span[_position++];
    }

    /// <summary>Two Byte Integer, big-endian (§1.5.2).</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2));

    /// <summary>Four Byte Integer, big-endian (§1.5.3).</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));

    /// <summary>Variable Byte Integer (§1.5.5): at most four bytes [MQTT-1.5.5-1].</summary>
    public uint ReadVariableByteInteger()
    {
        uint value = 0;
        int shift = 0;
        for (int i = 0; i < 4; i++)
        {
            byte b = ReadByte();
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            shift += 7;
        }

        MqttThrowHelper.ThrowMalformed("Variable Byte Integer longer than four bytes [MQTT-1.5.5-1].");
        return 0;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if ((uint)count > (uint)Remaining)
        {
            MqttThrowHelper.ThrowTruncated();
        }

        ReadOnlySpan<byte> slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Binary Data (§1.5.6): two-byte length then bytes.</summary>
    public ReadOnlySpan<byte> ReadBinary() => ReadBytes(ReadUInt16());

    /// <summary>
    /// UTF-8 Encoded String (§1.5.4): well-formed UTF-8 without surrogates [MQTT-1.5.4-1] and without U+0000
    /// [MQTT-1.5.4-2]; either is a Malformed Packet.
    /// </summary>
    public string ReadString()
    {
        ReadOnlySpan<byte> bytes = ReadBinary();
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (!Utf8.IsValid(bytes))
        {
            MqttThrowHelper.ThrowMalformed("String is not well-formed UTF-8 [MQTT-1.5.4-1].");
        }

        if (bytes.IndexOf((byte)0) >= 0)
        {
            MqttThrowHelper.ThrowMalformed("String contains U+0000 [MQTT-1.5.4-2].");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    public ReadOnlySpan<byte> ReadToEnd()
    {
        ReadOnlySpan<byte> rest = _span[_position..];
        _position = _span.Length;
        return rest;
    }
}
