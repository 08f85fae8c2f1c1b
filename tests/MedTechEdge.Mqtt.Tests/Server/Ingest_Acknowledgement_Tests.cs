using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>PUBACK / PUBREC only after the ingest handler completes, in receive order (MQTT 5.0 §4.6), with negative acks in 5.0.</summary>
public sealed class Ingest_Acknowledgement_Tests
{
    private static readonly byte[] s_payload = Encoding.UTF8.GetBytes("{\"heartRate\":72}");

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfServiceLevel.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfServiceLevel.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfServiceLevel.ExactlyOnce)]
    public async Task Ack_Is_Withheld_Until_The_Ingest_Handler_Completes(MqttProtocolVersion version, MqttQualityOfServiceLevel qos)
    {
        var gate = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingIngestHandler { Behaviour = _ => new ValueTask<MqttIngestResult>(gate.Task) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1", version);

        Task<MqttPublishResult> publish = device.PublishAsync("devices/dev-1/messages/events/", s_payload, qos);
        await handler.WaitForAsync(1, Peers.Timeout);
        // Real time on purpose: nothing can signal an acknowledgement that must not come, so a wrong early one gets
        // 300 ms to arrive.
        await Task.Delay(300);

        Assert.False(publish.IsCompleted, "The acknowledgement arrived before the handler completed.");
        gate.SetResult(MqttIngestResult.Accepted);
        MqttPublishResult result = await publish.WaitAsync(Peers.Timeout);
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Several_Publishes_Of_One_Connection_Are_With_The_Handler_At_Once_And_Acked_In_Receive_Order()
    {
        var gates = new TaskCompletionSource<MqttIngestResult>[3];
        for (int i = 0; i < gates.Length; i++)
        {
            gates[i] = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var handler = new RecordingIngestHandler { Behaviour = m => new ValueTask<MqttIngestResult>(gates[m.Payload[0] - (byte)'0'].Task) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1");

        Task<MqttPublishResult>[] publishes = new Task<MqttPublishResult>[3];
        for (int i = 0; i < publishes.Length; i++)
        {
            publishes[i] = device.PublishAsync("devices/dev-1/messages/events/", Encoding.UTF8.GetBytes(Peers.Text(i)));
        }

        // All three reach the handler although none has completed: the connection is not serialized on it.
        await handler.WaitForAsync(3, Peers.Timeout);
        gates[2].SetResult(MqttIngestResult.Accepted);
        gates[1].SetResult(MqttIngestResult.Accepted);
        // Real time on purpose: an out-of-order acknowledgement, which must not come, gets 300 ms to arrive.
        await Task.Delay(300);
        Assert.False(publishes[1].IsCompleted || publishes[2].IsCompleted, "Later messages were acknowledged before the first one.");

        gates[0].SetResult(MqttIngestResult.Accepted);
        MqttPublishResult[] results = await Task.WhenAll(publishes).WaitAsync(Peers.Timeout);
        Assert.All(results, r => Assert.True(r.IsSuccess));
    }

    [Theory]
    [InlineData(MqttQualityOfServiceLevel.AtLeastOnce)]
    [InlineData(MqttQualityOfServiceLevel.ExactlyOnce)]
    public async Task Handler_Failure_Becomes_A_Negative_Ack_In_V5(MqttQualityOfServiceLevel qos)
    {
        var handler = new RecordingIngestHandler { Behaviour = _ => ValueTask.FromResult(MqttIngestResult.Failed(MqttPubAckReasonCode.QuotaExceeded)) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1");

        MqttPublishResult result = await device.PublishAsync("devices/dev-1/messages/events/", s_payload, qos);

        Assert.Equal(MqttPubAckReasonCode.QuotaExceeded, result.ReasonCode);
        Assert.False(result.IsSuccess);
        Assert.True(device.IsConnected);
        Assert.Equal(1, broker.Server.Statistics.MessagesRejected);
    }

    [Fact]
    public async Task Handler_Exception_Becomes_Implementation_Specific_Error()
    {
        var handler = new RecordingIngestHandler { Behaviour = _ => throw new InvalidOperationException("store down") };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1");

        MqttPublishResult result = await device.PublishAsync("devices/dev-1/messages/events/", s_payload);

        Assert.Equal(MqttPubAckReasonCode.ImplementationSpecificError, result.ReasonCode);
    }

    [Fact]
    public async Task Handler_Failure_Withholds_The_Ack_From_A_V311_Client_And_Closes_Its_Connection()
    {
        var handler = new RecordingIngestHandler { Behaviour = _ => ValueTask.FromResult(MqttIngestResult.Failed(MqttPubAckReasonCode.QuotaExceeded)) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);

        MosquittoClientResult result = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(10),
            "-h", "127.0.0.1", "-p", broker.PortText, "-V", "mqttv311", "-q", "1", "-t", "devices/d/messages/events/", "-m", "x");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(handler.Messages);
    }

    [Fact]
    public async Task Rejected_Messages_Are_Not_Delivered_To_Subscribers()
    {
        var handler = new RecordingIngestHandler { Behaviour = m => ValueTask.FromResult(m.Payload[0] == (byte)'r' ? MqttIngestResult.Failed(MqttPubAckReasonCode.QuotaExceeded) : MqttIngestResult.Accepted) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);
        await using MqttClient monitor = await Peers.ConnectAsync(broker.Port, "monitor");
        await monitor.SubscribeAsync("devices/#");
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1");

        await device.PublishAsync("devices/dev-1/messages/events/", Encoding.UTF8.GetBytes("rejected"));
        await device.PublishAsync("devices/dev-1/messages/events/", Encoding.UTF8.GetBytes("accepted"));

        MqttApplicationMessage received = await Peers.ReceiveAsync(monitor);
        Assert.Equal("accepted", Encoding.UTF8.GetString(received.Payload.Span));
    }

    [Fact]
    public async Task Many_Connections_Have_Ingest_Calls_Outstanding_Together()
    {
        var gate = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingIngestHandler { Behaviour = _ => new ValueTask<MqttIngestResult>(gate.Task) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(handler: handler);
        var devices = new List<MqttClient>();
        var publishes = new List<Task<MqttPublishResult>>();
        for (int i = 0; i < 10; i++)
        {
            MqttClient device = await Peers.ConnectAsync(broker.Port, $"dev-{i}");
            devices.Add(device);
            publishes.Add(device.PublishAsync($"devices/dev-{i}/messages/events/", s_payload));
        }

        await handler.WaitForAsync(10, Peers.Timeout);
        gate.SetResult(MqttIngestResult.Accepted);
        await Task.WhenAll(publishes).WaitAsync(Peers.Timeout);
        Assert.Equal(10, handler.Messages.Select(m => m.DeviceId).Distinct().Count());
        foreach (MqttClient device in devices)
        {
            await device.DisposeAsync();
        }
    }
}
