using MedTechEdge.Configuration;
using MedTechEdge.Ingress;
using MedTechEdge.Simulation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Hosting;

/// <summary>
/// <c>--simulate</c>: simulated bedside devices that publish over real MQTT to the module's own
/// listener, so the whole path (acknowledgement after commit included) runs as it does with devices.
/// </summary>
internal sealed partial class SimulatorService(MedTechEdgeOptions options, MqttListenerService listener, ILogger<SimulatorService> logger) : BackgroundService
{
    private DeviceSimulation? _simulation;

    /// <summary>The running simulation's counters, once started.</summary>
    public DeviceSimulationStatistics? Statistics => _simulation?.Statistics;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The listener started before this service (registration order), so its port is known, also when it was 0.
        System.Net.IPEndPoint endPoint = listener.LocalEndPoint ?? throw new InvalidOperationException("The MQTT listener has not started.");
        _simulation = new DeviceSimulation(new DeviceSimulationOptions
        {
            Host = endPoint.Address.ToString(),
            Port = endPoint.Port,
            DeviceCount = options.Simulator.Devices,
            Interval = TimeSpan.FromMilliseconds(options.Simulator.IntervalMs),
        });
        LogStarting(options.Simulator.Devices, options.Simulator.IntervalMs);
        return _simulation.RunAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Devices} bedside device(s), one message each every {IntervalMs} ms.")]
    private partial void LogStarting(int devices, int intervalMs);
}
