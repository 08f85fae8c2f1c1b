using System.Globalization;
using System.Net;
using System.Text.Json;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.Simulation;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Simulation;

/// <summary>The simulated bedside devices against the embedded broker.</summary>
public sealed class Device_Simulation_Tests
{
    [Fact]
    public async Task Four_Devices_Publish_One_Kind_Each_With_The_Agreed_Json_Fields()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { Port = broker.Port, DeviceCount = 4, Interval = TimeSpan.FromMilliseconds(50), Seed = 7 });
        using var stop = new CancellationTokenSource();

        Task run = simulation.RunAsync(stop.Token);
        await broker.Handler.WaitForAsync(20, Peers.Timeout);
        await stop.CancelAsync();
        await run.WaitAsync(Peers.Timeout);

        var byDevice = broker.Handler.Messages.GroupBy(m => m.DeviceId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["sim-01", "sim-02", "sim-03", "sim-04"], byDevice.Keys.Order());
        AssertReading(byDevice["sim-01"][0], "sim-01", "patient-01", "heartRate", 45, 160);
        AssertReading(byDevice["sim-02"][0], "sim-02", "patient-02", "spo2", 88, 100);
        AssertReading(byDevice["sim-03"][0], "sim-03", "patient-03", "systolic", 90, 180);
        AssertReading(byDevice["sim-03"][0], "sim-03", "patient-03", "diastolic", 50, 110);
        AssertReading(byDevice["sim-04"][0], "sim-04", "patient-04", "temperature", 35.5, 40.5);
        Assert.All(broker.Handler.Messages, m => Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, m.QoS));
        Assert.Equal($"devices/sim-01/messages/events/", byDevice["sim-01"][0].Topic);
        // At most one reading per device was still awaiting its PUBACK when the run stopped.
        Assert.InRange(simulation.Statistics.Acknowledged, 16, simulation.Statistics.Published);
        Assert.Equal(0, simulation.Statistics.Failed);
    }

    [Fact]
    public async Task Readings_Walk_In_Small_Steps()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { Port = broker.Port, DeviceCount = 1, Interval = TimeSpan.FromMilliseconds(10), Seed = 3 });
        using var stop = new CancellationTokenSource();

        Task run = simulation.RunAsync(stop.Token);
        await broker.Handler.WaitForAsync(30, Peers.Timeout);
        await stop.CancelAsync();
        await run.WaitAsync(Peers.Timeout);

        int[] rates = broker.Handler.Messages.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("heartRate").GetInt32()).ToArray();
        for (int i = 1; i < rates.Length; i++)
        {
            Assert.InRange(Math.Abs(rates[i] - rates[i - 1]), 0, 3);
        }

        Assert.True(rates.Distinct().Count() > 1, "The values never moved.");
    }

    [Fact]
    public async Task Devices_Keep_Trying_Until_The_Broker_Comes_Up()
    {
        int port = MosquittoPorts.GetFree();
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { Port = port, DeviceCount = 2, Interval = TimeSpan.FromMilliseconds(50), ReconnectDelay = TimeSpan.FromMilliseconds(100) });
        using var stop = new CancellationTokenSource();
        Task run = simulation.RunAsync(stop.Token);
        await Task.Delay(500);
        Assert.Equal(0, simulation.Statistics.Connects);

        var handler = new RecordingIngestHandler();
        await using var server = new MqttServer(new MqttServerOptions { BindAddress = IPAddress.Loopback, Port = port }, handler);
        await server.StartAsync(CancellationToken.None);
        await handler.WaitForAsync(4, Peers.Timeout);
        await stop.CancelAsync();
        await run.WaitAsync(Peers.Timeout);

        Assert.Equal(2, handler.Messages.Select(m => m.DeviceId).Distinct().Count());
    }

    private static void AssertReading(IngestedMessage message, string deviceId, string patientId, string field, double min, double max)
    {
        JsonElement root = JsonDocument.Parse(message.Payload).RootElement;
        Assert.Equal(deviceId, root.GetProperty("deviceId").GetString());
        Assert.Equal(patientId, root.GetProperty("patientId").GetString());
        string time = root.GetProperty("measurementTime").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", time);
        Assert.True(DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        Assert.InRange(root.GetProperty(field).GetDouble(), min, max);
    }
}
