using System.Globalization;
using System.Text.Json;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Simulation.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Simulation.Tests;

/// <summary>The simulated devices over MQTT, one connection each, against the project's own broker.</summary>
public sealed class Mqtt_Transport_Tests
{
    [Fact]
    public async Task Four_Devices_Publish_One_Kind_Each_With_The_Agreed_Json_Fields()
    {
        await using RecordingBroker broker = await RecordingBroker.StartAsync();
        await using var transport = new MqttDeviceTransport(new MqttDeviceTransportOptions { Port = broker.Port });
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { DeviceCount = 4, Interval = TimeSpan.FromMilliseconds(50), Seed = 7 }, transport);
        using var stop = new CancellationTokenSource();

        Task run = simulation.RunAsync(stop.Token);
        await broker.WaitForAsync(20);
        await stop.CancelAsync();
        await run.WaitAsync(TestTimeouts.Default);

        var byDevice = broker.Messages.GroupBy(m => m.DeviceId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["sim-01", "sim-02", "sim-03", "sim-04"], byDevice.Keys.Order());
        AssertReading(byDevice["sim-01"][0], "sim-01", "patient-01", "heartRate", 40, 180);
        AssertReading(byDevice["sim-01"][0], "sim-01", "patient-01", "respiratoryRate", 6, 40);
        AssertReading(byDevice["sim-02"][0], "sim-02", "patient-02", "spo2", 85, 100);
        AssertReading(byDevice["sim-03"][0], "sim-03", "patient-03", "systolic", 80, 200);
        AssertReading(byDevice["sim-03"][0], "sim-03", "patient-03", "diastolic", 40, 120);
        AssertReading(byDevice["sim-04"][0], "sim-04", "patient-04", "temperature", 35, 41);
        Assert.All(broker.Messages, m => Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, m.QoS));
        Assert.Equal("devices/sim-01/messages/events/", byDevice["sim-01"][0].Topic);
        // At most one message per device was still awaiting its PUBACK when the run stopped.
        Assert.InRange(simulation.Statistics.Acknowledged, 16, simulation.Statistics.Published);
        Assert.Equal(0, simulation.Statistics.Failed);
        Assert.Equal(4, simulation.Statistics.Connects);
    }

    [Fact]
    public async Task An_Ecg_Device_Publishes_Whole_Windows()
    {
        await using RecordingBroker broker = await RecordingBroker.StartAsync();
        await using var transport = new MqttDeviceTransport(new MqttDeviceTransportOptions { Port = broker.Port, ProtocolVersion = MqttProtocolVersion.V500 });
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { DeviceCount = 1, Kinds = [DeviceKind.Ecg], Seed = 1 }, transport);
        using var stop = new CancellationTokenSource();

        Task run = simulation.RunAsync(stop.Token);
        await broker.WaitForAsync(1);
        await stop.CancelAsync();
        await run.WaitAsync(TestTimeouts.Default);

        JsonElement root = JsonDocument.Parse(broker.Messages.First().Payload).RootElement;
        Assert.Equal(250, root.GetProperty("ecg").GetArrayLength());
    }

    [Fact]
    public async Task Devices_Keep_Trying_Until_The_Broker_Comes_Up()
    {
        int port = MosquittoPorts.GetFree();
        await using var transport = new MqttDeviceTransport(new MqttDeviceTransportOptions { Port = port });
        var simulation = new DeviceSimulation(new DeviceSimulationOptions { DeviceCount = 2, Interval = TimeSpan.FromMilliseconds(50), ReconnectDelay = TimeSpan.FromMilliseconds(100) }, transport);
        using var stop = new CancellationTokenSource();
        Task run = simulation.RunAsync(stop.Token);
        // Real time on purpose: the devices' real connection attempts to a closed port go on for half a second (several
        // reconnect delays) without a connection and without ending the run.
        await Task.Delay(500);
        Assert.Equal(0, simulation.Statistics.Connects);

        await using RecordingBroker broker = await RecordingBroker.StartAsync(port);
        await broker.WaitForAsync(4);
        await stop.CancelAsync();
        await run.WaitAsync(TestTimeouts.Default);

        Assert.Equal(2, broker.Messages.Select(m => m.DeviceId).Distinct().Count());
    }

    private static void AssertReading(BrokerMessage message, string deviceId, string patientId, string field, double min, double max)
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
