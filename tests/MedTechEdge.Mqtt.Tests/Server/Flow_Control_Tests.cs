using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Flow control with Receive Maximum (MQTT 5.0 §4.9) and Topic Aliases (§3.3.2.3.4).</summary>
public sealed class Flow_Control_Tests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Client_Exceeding_The_Server_Receive_Maximum_Gets_Disconnect_0x93()
    {
        var gate = new TaskCompletionSource<MqttIngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingIngestHandler { Behaviour = _ => new ValueTask<MqttIngestResult>(gate.Task) };
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.ReceiveMaximum = 2, handler);
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5());
        byte[] head = await raw.ReadAsync(2, s_wait);
        await raw.ReadAsync(head[1], s_wait);

        for (byte id = 1; id <= 3; id++)
        {
            // PUBLISH QoS 1 to the ingest topic "medtech/d/telemetry" with packet id 1..3 and no properties.
            await raw.SendAsync([0x32, 0x18, 0x00, 0x13, .. "medtech/d/telemetry"u8, 0x00, id, 0x00]);
        }

        Assert.Equal(new byte[] { 0xE0, 0x01, 0x93 }, await raw.ReadAsync(3, s_wait));
        gate.SetResult(MqttIngestResult.Accepted);
    }

    [Fact]
    public async Task Server_Sends_No_More_Than_The_Client_Receive_Maximum_Unacknowledged()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        // CONNECT 5.0, client id "rm", properties: Receive Maximum 1.
        await raw.SendAsync([0x10, 0x12, 0x00, 0x04, .. "MQTT"u8, 0x05, 0x02, 0x00, 0x3C, 0x03, 0x21, 0x00, 0x01, 0x00, 0x02, .. "rm"u8]);
        byte[] head = await raw.ReadAsync(2, s_wait);
        await raw.ReadAsync(head[1], s_wait);
        // SUBSCRIBE id 1, no properties, "q" QoS 1.
        await raw.SendAsync(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, (byte)'q', 0x01);
        Assert.Equal(new byte[] { 0x90, 0x04, 0x00, 0x01, 0x00, 0x01 }, await raw.ReadAsync(6, s_wait));
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pub");

        await publisher.PublishAsync("q", "1"u8.ToArray());
        await publisher.PublishAsync("q", "2"u8.ToArray());

        // First PUBLISH: 32 07 0001 71 id(2) 00(properties) 31.
        byte[] first = await raw.ReadAsync(9, s_wait);
        Assert.Equal((byte)'1', first[^1]);
        Assert.Empty(await raw.ReadAsync(1, TimeSpan.FromMilliseconds(500)).ContinueWith(t => t.IsFaulted || t.IsCanceled ? [] : t.Result));
        await raw.SendAsync(0x40, 0x02, first[5], first[6]);
        byte[] second = await raw.ReadAsync(9, s_wait);
        Assert.Equal((byte)'2', second[^1]);
    }

    [Fact]
    public async Task Topic_Alias_Set_Once_Then_Used_With_An_Empty_Topic()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5());
        byte[] head = await raw.ReadAsync(2, s_wait);
        await raw.ReadAsync(head[1], s_wait);

        // QoS 0 PUBLISH "medtech/m1/telemetry" with Topic Alias 1, then one with an empty topic and alias 1.
        await raw.SendAsync([0x30, 0x1B, 0x00, 0x14, .. "medtech/m1/telemetry"u8, 0x03, 0x23, 0x00, 0x01, (byte)'a']);
        await raw.SendAsync([0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01, (byte)'b']);

        await broker.Handler.WaitForAsync(2, s_wait);
        Assert.All(broker.Handler.Messages, m => Assert.Equal("medtech/m1/telemetry", m.Topic));
        Assert.Equal(["a", "b"], broker.Handler.Messages.Select(m => m.PayloadText));
    }

    [Fact]
    public async Task Unknown_Topic_Alias_Is_A_Protocol_Error()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5());
        byte[] head = await raw.ReadAsync(2, s_wait);
        await raw.ReadAsync(head[1], s_wait);

        await raw.SendAsync([0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x05, (byte)'b']);

        Assert.Equal(new byte[] { 0xE0, 0x01, 0x82 }, await raw.ReadAsync(3, s_wait));
    }

    [Fact]
    public async Task Mosquitto_Pub_With_A_Topic_Alias_Is_Accepted()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();

        TestPeers.MosquittoClientResult result = await TestPeers.MosquittoClients.PublishAsync(Peers.Timeout, "-p", broker.PortText, "-V", "mqttv5", "-q", "1",
            "-t", "devices/d1/messages/events/", "-m", "x", "-D", "publish", "topic-alias", "3");

        Assert.Equal(0, result.ExitCode);
        await broker.Handler.WaitForAsync(1, s_wait);
        Assert.Equal("devices/d1/messages/events/", Assert.Single(broker.Handler.Messages).Topic);
    }

    [Fact]
    public async Task Publish_Qos_Above_The_Server_Maximum_Is_Refused()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.MaximumQoS = MqttQualityOfServiceLevel.AtLeastOnce);
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "c");

        await Assert.ThrowsAsync<IOException>(() => client.PublishAsync("a", Encoding.UTF8.GetBytes("x"), MqttQualityOfServiceLevel.ExactlyOnce));

        Assert.Equal(MqttDisconnectReasonCode.QoSNotSupported, client.ServerDisconnectReason);
    }
}
