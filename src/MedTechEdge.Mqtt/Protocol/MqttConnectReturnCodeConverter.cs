namespace MedTechEdge.Mqtt.Protocol;

/// <summary>
/// Maps between 3.1.1 return codes and 5.0 reason codes. 5.0 codes with no 3.1.1 twin become
/// ServerUnavailable, the closest "try again later" meaning 3.1.1 has.
/// </summary>
internal static class MqttConnectReturnCodeConverter
{
    public static MqttConnectReturnCode ToReturnCode(MqttConnectReasonCode reasonCode) => reasonCode switch
    {
        MqttConnectReasonCode.Success => MqttConnectReturnCode.ConnectionAccepted,
        MqttConnectReasonCode.UnsupportedProtocolVersion => MqttConnectReturnCode.UnacceptableProtocolVersion,
        MqttConnectReasonCode.ClientIdentifierNotValid => MqttConnectReturnCode.IdentifierRejected,
        MqttConnectReasonCode.BadUserNameOrPassword => MqttConnectReturnCode.BadUserNameOrPassword,
        MqttConnectReasonCode.NotAuthorized or MqttConnectReasonCode.Banned => MqttConnectReturnCode.NotAuthorized,
        _ => MqttConnectReturnCode.ServerUnavailable,
    };

    public static MqttConnectReasonCode ToReasonCode(MqttConnectReturnCode returnCode) => returnCode switch
    {
        MqttConnectReturnCode.ConnectionAccepted => MqttConnectReasonCode.Success,
        MqttConnectReturnCode.UnacceptableProtocolVersion => MqttConnectReasonCode.UnsupportedProtocolVersion,
        MqttConnectReturnCode.IdentifierRejected => MqttConnectReasonCode.ClientIdentifierNotValid,
        MqttConnectReturnCode.BadUserNameOrPassword => MqttConnectReasonCode.BadUserNameOrPassword,
        MqttConnectReturnCode.NotAuthorized => MqttConnectReasonCode.NotAuthorized,
        _ => MqttConnectReasonCode.ServerUnavailable,
    };
}
