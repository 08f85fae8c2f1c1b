using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Security;

/// <summary>The answer to a CONNECT's authentication.</summary>
/// <param name="ReasonCode">Success, or the CONNACK code to refuse with.</param>
/// <param name="Identity">The authenticated identity (user name or certificate name); null when anonymous or refused.</param>
/// <param name="DeviceIds">Further device ids or patterns the identity may speak for (from its credentials line); empty otherwise.</param>
internal readonly record struct MqttAuthenticationResult(MqttConnectReasonCode ReasonCode, string? Identity, IReadOnlyList<string> DeviceIds)
{
    public static MqttAuthenticationResult Refused(MqttConnectReasonCode reasonCode) => new(reasonCode, null, []);
}
