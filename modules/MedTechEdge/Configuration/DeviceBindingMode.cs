namespace MedTechEdge.Configuration;

/// <summary>
/// Whether messages from authenticated MQTT connections are bound to the identity that sent them (<c>Mqtt:DeviceBinding</c>):
/// a message whose device id that identity may not speak for becomes a <c>DeviceIdentityMismatch</c> dead letter.
/// </summary>
internal enum DeviceBindingMode
{
    /// <summary>The default: every authenticated connection's messages carry its binding. Anonymous ones stay unbound.</summary>
    On,

    /// <summary>No binding: any authenticated device may send data naming any device or patient. A risk; see docs/mqtt.md.</summary>
    Off,
}
