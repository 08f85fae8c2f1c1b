using MedTechEdge.Configuration;
using MedTechEdge.Ingress;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.IotEdge;

/// <summary>
/// The module inside IoT Edge: its one connection to edgeHub carries the device messages routed to its inputs
/// (<c>FROM /messages/* INTO BrokeredEndpoint("/modules/MedTechEdge/inputs/devicedata")</c>), its outputs, its twin
/// (configuration in, status out) and its direct methods. edgeHub being unreachable does not stop the module: MQTT
/// ingest, the store and the sinks work on, and the connection is retried with backoff.
/// </summary>
internal sealed class EdgeHubService : IHostedService, IAsyncDisposable
{
    private readonly ModuleTwinSync _twin;

    public EdgeHubService(IotEdgeSettings identity, MedTechEdgeOptions options, MqttIngressHandler ingress, ModuleTwinSync twin, ModuleMethods methods, TimeProvider clock, ILoggerFactory loggers)
    {
        EdgeHubOptions edgeHub = options.EdgeHub;
        Handler = new EdgeHubInputHandler(identity, edgeHub.Inputs.Count > 0 ? edgeHub.Inputs : [ModuleEndpoints.DeviceDataInput], ingress, edgeHub.BindToConnectionDeviceId);
        try
        {
            Client = new EdgeModuleClient(identity, new EdgeModuleClientOptions
            {
                Port = edgeHub.Port,
                UseTls = edgeHub.UseTls,
                CaFile = edgeHub.CaFile,
                TokenLifetime = edgeHub.TokenLifetime,
                TimeProvider = clock,
            }, Handler, loggers);
        }
        catch (ArgumentException ex)
        {
            throw new Hosting.ModuleStartupException(ex.Message);
        }

        _twin = twin;
        Client.Connected = twin.OnConnectedAsync;
        Client.DesiredPropertiesUpdated = twin.OnDesiredPatchAsync;
        Client.MethodHandler = methods.InvokeAsync;
    }

    /// <summary>The connection to edgeHub, shared by inputs, outputs, twin and methods.</summary>
    public EdgeModuleClient Client { get; }

    /// <summary>The input handler (its counters).</summary>
    public EdgeHubInputHandler Handler { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The twin handler first: the first connection may call it as soon as the client starts.
        _twin.Start(Client);
        await Client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _twin.StopAsync().ConfigureAwait(false);
        await Client.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
