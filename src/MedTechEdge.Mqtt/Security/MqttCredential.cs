namespace MedTechEdge.Mqtt.Security;

/// <summary>One user of the credentials file: the password hash, and the further device ids or patterns it may speak for.</summary>
/// <param name="Hash">The parsed <c>$pbkdf2-sha256$…</c> value.</param>
/// <param name="DeviceIds">Ids or <c>*</c> patterns beyond the user name itself (a bedside hub bridging monitors); empty for most devices.</param>
internal sealed record MqttCredential(MqttPasswordHashValue Hash, IReadOnlyList<string> DeviceIds);
