using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace MedTechEdge.Mqtt.Protocol;

/// <summary>Cold throw paths, kept out of the codec's hot methods so call sites stay one line.</summary>
[StackTraceHidden]
internal static class MqttThrowHelper
{
    [DoesNotReturn]
    public static void ThrowMalformed(string message) =>
        throw new MqttProtocolException(MqttDisconnectReasonCode.MalformedPacket, message);

    [DoesNotReturn]
    public static void ThrowProtocolError(string message) =>
        throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, message);

    [DoesNotReturn]
    public static void Throw(MqttDisconnectReasonCode reasonCode, string message) =>
        throw new MqttProtocolException(reasonCode, message);

    [DoesNotReturn]
    public static void ThrowTruncated() =>
        throw new MqttProtocolException(MqttDisconnectReasonCode.MalformedPacket, "Packet ends before a field it declares [MQTT-2.1.4]: the Remaining Length is too short.");
}
