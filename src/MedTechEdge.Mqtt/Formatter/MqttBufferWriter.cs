using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Writes the data types of MQTT 5.0 §1.5 into a growable buffer. Each connection owns one for its packet bodies and
/// one for property blocks; they are reset, not cleared, between packets because they only ever hold bytes that
/// are about to be sent. <see cref="Trim"/> drops the backing array after an unusually large packet.
/// </summary>
internal sealed class MqttBufferWriter
{
    private const int TrimThreshold = 64 * 1024;
    private ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void Reset() => _buffer.ResetWrittenCount();

    public void Trim()
    {
        if (_buffer.Capacity > TrimThreshold)
        {
            _buffer = new ArrayBufferWriter<byte>(256);
        }
    }

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteVariableByteInteger(uint value)
    {
        int written = MqttVariableByteInteger.Write(_buffer.GetSpan(4), value);
        _buffer.Advance(written);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteBinary(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ushort.MaxValue)
        {
            MqttThrowHelper.ThrowMalformed("Binary Data longer than 65,535 bytes (MQTT 5.0 §1.5.6).");
        }

        WriteUInt16((ushort)bytes.Length);
        _buffer.Write(bytes);
    }

    public void WriteString(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount > ushort.MaxValue)
        {
            MqttThrowHelper.ThrowMalformed("UTF-8 string longer than 65,535 bytes [MQTT-1.5.4].");
        }

        WriteUInt16((ushort)byteCount);
        int written = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(byteCount));
        _buffer.Advance(written);
    }
}
