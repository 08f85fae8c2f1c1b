using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Malformed packets and protocol errors close only the offending connection (MQTT 5.0 §4.13).</summary>
public sealed class Malformed_Packet_Tests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Malformed_Packet_Gets_Disconnect_0x81_And_Other_Clients_Keep_Being_Served()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient other = await Peers.ConnectAsync(broker.Port, "bystander");
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5());
        byte[] connAck = await raw.ReadAsync(4, s_wait);
        Assert.Equal(new byte[] { 0x20 }, connAck[..1]);
        await raw.ReadAsync(connAck[1] - 2, s_wait);

        // PUBLISH QoS 1 whose topic string holds U+0000 [MQTT-1.5.4-2].
        await raw.SendAsync(0x32, 0x08, 0x00, 0x03, (byte)'a', 0x00, (byte)'b', 0x00, 0x01, 0x00);

        byte[] disconnect = await raw.ReadAsync(3, s_wait);
        Assert.Equal(new byte[] { 0xE0, 0x01, 0x81 }, disconnect);
        Assert.True(await raw.WaitForCloseAsync(s_wait));
        Assert.True((await other.PublishAsync("still/alive", Encoding.UTF8.GetBytes("x"))).IsSuccess);
        Assert.Equal(1, broker.Server.Statistics.ProtocolErrors);
    }

    [Fact]
    public async Task Reserved_Fixed_Header_Flags_Are_A_Malformed_Packet()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5());
        byte[] head = await raw.ReadAsync(2, s_wait);
        await raw.ReadAsync(head[1], s_wait);

        // PINGREQ with flags 0001 [MQTT-2.1.3-1].
        await raw.SendAsync(0xC1, 0x00);

        Assert.Equal(new byte[] { 0xE0, 0x01, 0x81 }, await raw.ReadAsync(3, s_wait));
    }

    [Fact]
    public async Task V311_Malformed_Packet_Closes_Without_Disconnect()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV311());
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, await raw.ReadAsync(4, s_wait));

        // Remaining Length with five bytes [MQTT-1.5.5-1].
        await raw.SendAsync(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);

        Assert.Empty(await raw.ReadAsync(1, s_wait));
    }

    [Fact]
    public async Task First_Packet_Other_Than_Connect_Closes_The_Connection()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);

        await raw.SendAsync(0xC0, 0x00);

        // [MQTT-3.1.0-1]: closed, no CONNACK.
        Assert.Empty(await raw.ReadAsync(1, s_wait));
    }

    [Fact]
    public async Task Unsupported_Protocol_Level_Gets_Connack_Refusal()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        byte[] connect = RawMqttSocket.ConnectV311();
        connect[8] = 3;

        await raw.SendAsync(connect);

        // [MQTT-3.1.2-2]: return code 0x01 unacceptable protocol version, then close.
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x01 }, await raw.ReadAsync(4, s_wait));
        Assert.True(await raw.WaitForCloseAsync(s_wait));
    }

    [Fact]
    public async Task Packet_Above_Maximum_Packet_Size_Gets_Disconnect_0x95()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.MaximumPacketSize = 64);
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5());
        byte[] head = await raw.ReadAsync(2, s_wait);
        await raw.ReadAsync(head[1], s_wait);

        await raw.SendAsync(0x30, 0x80, 0x01);

        Assert.Equal(new byte[] { 0xE0, 0x01, 0x95 }, await raw.ReadAsync(3, s_wait));
    }

    [Fact]
    public async Task Garbage_On_Many_Connections_Never_Stops_The_Broker()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        var random = new Random(1234);
        for (int i = 0; i < 50; i++)
        {
            await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
            byte[] packet = RawMqttSocket.ConnectV5();
            if (i % 2 == 0)
            {
                packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
            }
            else
            {
                packet = packet[..random.Next(1, packet.Length)];
            }

            await raw.SendAsync(packet);
            await raw.SendAsync(0x32, 0x03, 0x00, 0x01, (byte)'x');
        }

        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "after-the-storm");
        Assert.True((await client.PublishAsync("ok", Encoding.UTF8.GetBytes("x"))).IsSuccess);
    }
}
