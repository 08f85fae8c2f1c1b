using System.Buffers;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Formatter;

/// <summary>
/// Variable Byte Integer (MQTT 5.0 §1.5.5): seven bits per byte, least significant group first, bit 7 set on every
/// byte but the last. 0..127 take one byte, up to 268,435,455 take four. Worked example: 321 = 0xC1 0x02.
/// </summary>
internal static class MqttVariableByteInteger
{
    public const uint MaxValue = 268_435_455;

    public static int GetSize(uint value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    public static int Write(Span<byte> destination, uint value)
    {
        if (value > MaxValue)
        {
            MqttThrowHelper.ThrowMalformed("Value too large for a Variable Byte Integer (MQTT 5.0 §1.5.5).");
        }

        int i = 0;
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0)
            {
                b |= 0x80;
            }

            destination[i++] = b;
        }
        while (value != 0);

        return i;
    }

    /// <summary>
    /// Reads from a possibly multi-segment buffer. Returns false when the buffer ends before the last byte ("need
    /// more"); throws on a fifth byte [MQTT-1.5.5-1].
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out uint value)
    {
        value = 0;
        int shift = 0;
        for (int i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out byte b))
            {
                return false;
            }

            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }

            shift += 7;
        }

        MqttThrowHelper.ThrowMalformed("Remaining Length longer than four bytes [MQTT-1.5.5-1].");
        return false;
    }
}
