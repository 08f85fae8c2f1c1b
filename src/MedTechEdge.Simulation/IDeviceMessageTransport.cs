namespace MedTechEdge.Simulation;

/// <summary>
/// Where simulated device messages go: one MQTT connection per device (<see cref="MqttDeviceTransport"/>), or a transport
/// shared by all devices, such as an IoT Edge module output, for which connecting a device only checks the shared link.
/// </summary>
/// <remarks>
/// The simulation calls each device's methods from that device's loop, one call at a time, in the order
/// <see cref="ConnectAsync"/>, <see cref="SendAsync"/> (repeatedly), <see cref="DisconnectAsync"/>; different devices
/// call concurrently. Implementations report outcomes as return values and throw only
/// <see cref="OperationCanceledException"/> when the token is cancelled. The caller disposes the transport after the
/// simulation has stopped.
/// </remarks>
public interface IDeviceMessageTransport : IAsyncDisposable
{
    /// <summary>Where messages go, for logs: "mqtt://127.0.0.1:1883".</summary>
    string Destination { get; }

    /// <summary>
    /// Opens what <paramref name="deviceId"/> needs to send. Returns false while the far end cannot be reached; the
    /// simulation waits <see cref="DeviceSimulationOptions.ReconnectDelay"/> and asks again.
    /// </summary>
    ValueTask<bool> ConnectAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one message of <paramref name="deviceId"/>. <paramref name="json"/> is valid only until the returned task
    /// completes (the caller reuses the buffer). Returns true when the far end accepted it (MQTT QoS 1: PUBACK with
    /// success), false when it was refused or the connection was lost; <see cref="IsConnected"/> then tells which.
    /// </summary>
    ValueTask<bool> SendAsync(string deviceId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>False once the device's connection is lost; the simulation then disconnects and connects again.</summary>
    bool IsConnected(string deviceId);

    /// <summary>Closes what <see cref="ConnectAsync"/> opened for the device, cleanly where possible. Never throws for a lost connection.</summary>
    ValueTask DisconnectAsync(string deviceId, CancellationToken cancellationToken);
}
