using MedTechEdge.Configuration;
using MedTechEdge.Ingress;
using MedTechEdge.Simulation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Hosting;

/// <summary>
/// <c>--simulate</c>: simulated devices (the device simulator's library, its default kinds in rotation) that publish
/// over real MQTT to the module's own listener, so the whole path (acknowledgement after commit included) runs as it
/// does with devices.
/// </summary>
internal sealed partial class SimulatorService(MedTechEdgeOptions options, MqttListenerService listener, ILogger<SimulatorService> logger) : BackgroundService
{
    private DeviceSimulation? _simulation;

    /// <summary>The running simulation's counters, once started.</summary>
    public DeviceSimulationStatistics? Statistics => _simulation?.Statistics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The listener started before this service (registration order), so its port is known, also when it was 0.
        System.Net.IPEndPoint endPoint = listener.LocalEndPoint ?? throw new InvalidOperationException("The MQTT listener has not started.");
        await using var transport = new MqttDeviceTransport(new MqttDeviceTransportOptions { Host = endPoint.Address.ToString(), Port = endPoint.Port });
        _simulation = new DeviceSimulation(
            new DeviceSimulationOptions
            {
                DeviceCount = options.Simulator.Devices,
                Interval = TimeSpan.FromMilliseconds(options.Simulator.IntervalMs),
            },
            transport);
        LogStarting(options.Simulator.Devices, options.Simulator.IntervalMs, transport.Destination);
        await _simulation.RunAsync(stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Devices} device(s), one message each every {IntervalMs} ms, to {Destination}.")]
    private partial void LogStarting(int devices, int intervalMs, string destination);
}
