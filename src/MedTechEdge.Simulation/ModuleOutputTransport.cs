using MedTechEdge.IotEdge;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Server;

namespace MedTechEdge.Simulation;

/// <summary>
/// Every simulated device's messages on one IoT Edge module output (the simulator deployed as a module), carried to
/// MedTechEdge by a route such as
/// <c>FROM /messages/modules/DeviceSimulator/outputs/telemetry INTO BrokeredEndpoint("/modules/MedTechEdge/inputs/devicedata")</c>.
/// One connection to edgeHub serves all devices, so connecting a device only checks that it is up. The device id
/// travels in the body, as MedTech templates read it, and as the application property <c>deviceId</c>.
/// </summary>
public sealed class ModuleOutputTransport : IDeviceMessageTransport
{
    private readonly EdgeModuleClient _client;
    private readonly string _output;
    private int _started;

    /// <summary>Creates the transport; the connection opens at the first <see cref="ConnectAsync"/>.</summary>
    /// <param name="identity">The simulator module's identity (the IoT Edge environment or a connection string).</param>
    /// <param name="options">How to reach edgeHub.</param>
    /// <param name="output">The module output to send on.</param>
    public ModuleOutputTransport(IotEdgeSettings identity, EdgeModuleClientOptions options, string output)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        _output = output;
        _client = new EdgeModuleClient(identity, options, new NoInputs());
    }

    /// <inheritdoc />
    public string Destination => "edgehub output " + _output;

    /// <inheritdoc />
    public async ValueTask<bool> ConnectAsync(string deviceId, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            await _client.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        return _client.IsConnected;
    }

    /// <inheritdoc />
    public async ValueTask<bool> SendAsync(string deviceId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendOutputAsync(_output, json, new Dictionary<string, string>(1, StringComparer.Ordinal) { ["deviceId"] = deviceId }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttNotConnectedException or TimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool IsConnected(string deviceId) => _client.IsConnected;

    /// <inheritdoc />
    public ValueTask DisconnectAsync(string deviceId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _client.DisposeAsync();

    /// <summary>The simulator takes no input; anything routed to it is acknowledged and dropped.</summary>
    private sealed class NoInputs : IMqttIngestHandler
    {
        public ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken) =>
            new(MqttIngestResult.Accepted);
    }
}
