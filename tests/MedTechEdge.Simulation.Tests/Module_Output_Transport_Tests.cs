using System.Text.Json;
using MedTechEdge.IotEdge;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Simulation.Tests;

/// <summary>The simulator as an IoT Edge module: every device's messages on one module output, through edgeHub's stand-in.</summary>
public sealed class Module_Output_Transport_Tests
{
    [Fact]
    public async Task Devices_Send_On_The_Module_Output_With_Their_Id_As_A_Property()
    {
        await using FakeEdgeHub hub = await FakeEdgeHub.StartAsync("gw-1", "DeviceSimulator");
        Assert.True(IotEdgeSettings.TryRead(new System.Collections.Hashtable { ["EdgeHubConnectionString"] = hub.ConnectionString }, out IotEdgeSettings? identity, out string? error), error);
        await using var transport = new ModuleOutputTransport(identity!, new EdgeModuleClientOptions { Port = hub.TlsPort, CaFile = hub.Pki.CaFile }, "telemetry");
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { DeviceCount = 2, Interval = TimeSpan.FromMilliseconds(100), Seed = 3, ReconnectDelay = TimeSpan.FromMilliseconds(200) }, transport);
        using var stop = new CancellationTokenSource();

        Task run = simulation.RunAsync(stop.Token);
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (hub.Outputs.Count < 6)
        {
            Assert.True(DateTime.UtcNow < deadline, "no output messages");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(hub.Outputs, o => Assert.StartsWith("devices/gw-1/modules/DeviceSimulator/messages/events/%24.on=telemetry&", o.Topic, StringComparison.Ordinal));
        (string topic, string body) = hub.Outputs.First(o => o.Topic.Contains("deviceId=sim-02", StringComparison.Ordinal));
        using JsonDocument reading = JsonDocument.Parse(body);
        Assert.Equal("sim-02", reading.RootElement.GetProperty("deviceId").GetString());
        Assert.True(simulation.Statistics.Acknowledged >= 6);
    }
}
