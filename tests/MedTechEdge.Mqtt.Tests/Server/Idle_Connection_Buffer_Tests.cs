using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>
/// Issue 16 §3: a connected device that sends nothing holds no read or write buffer of the broker
/// (<see cref="MqttServerStatistics.ConnectionBufferBytes"/>): its buffers come from a pool while bytes move, and go
/// back when they have. Without that, each connection kept a 16 KiB read segment for its whole life: 160 MB for
/// 10,000 idle devices.
/// </summary>
public sealed class Idle_Connection_Buffer_Tests : IDisposable
{
    private const int Devices = 20;
    private static readonly byte[] s_payload = Encoding.UTF8.GetBytes("{\"heartRate\":72}");
    private readonly TestCertificates _pki = TestCertificates.Create();

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(MqttProtocolVersion.V311, false)]
    [InlineData(MqttProtocolVersion.V500, false)]
    [InlineData(MqttProtocolVersion.V500, true)]
    public async Task Connections_That_Published_And_Went_Idle_Hold_No_Buffer(MqttProtocolVersion version, bool tls)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            if (tls)
            {
                o.UnencryptedListenerEnabled = false;
                o.Tls = new MqttServerTlsOptions { Port = 0, CertificateFile = _pki.ServerCertificateFile, PrivateKeyFile = _pki.ServerKeyFile };
            }
        });
        int port = tls ? broker.Server.TlsLocalEndPoint!.Port : broker.Port;
        var devices = new List<MqttClient>();
        try
        {
            for (int i = 0; i < Devices; i++)
            {
                string id = "dev-" + Peers.Text(i);
                devices.Add(await Peers.ConnectAsync(port, id, version, o => o.Tls = tls ? new MqttClientTlsOptions { CaFile = _pki.CaFile, TargetHost = "localhost" } : null));
                MqttPublishResult result = await devices[i].PublishAsync("devices/" + id + "/messages/events/", s_payload);
                Assert.True(result.IsSuccess);
            }

            await broker.Handler.WaitForAsync(Devices, Peers.Timeout);
            MqttServerStatistics statistics = broker.Server.Statistics;
            await Poll.UntilAsync(() => statistics.ConnectionBufferBytes == 0, Peers.Timeout,
                $"the {Devices} idle connections to hold no buffer (they hold {statistics.ConnectionBufferBytes:N0} bytes)");
            Assert.Equal(Devices, statistics.ConnectedClients);
        }
        finally
        {
            foreach (MqttClient device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_Subscriber_Holds_No_Buffer_Once_A_Delivery_Is_Written()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient subscriber = await Peers.ConnectAsync(broker.Port, "listener");
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1");
        Assert.True((await subscriber.SubscribeAsync("alerts/#")).IsSuccess);

        Assert.True((await device.PublishAsync("alerts/bed-12", s_payload)).IsSuccess);
        MqttApplicationMessage received = await Peers.ReceiveAsync(subscriber);

        Assert.Equal(s_payload, received.Payload.ToArray());
        MqttServerStatistics statistics = broker.Server.Statistics;
        await Poll.UntilAsync(() => statistics.ConnectionBufferBytes == 0, Peers.Timeout,
            $"the subscriber and the publisher to hold no buffer (they hold {statistics.ConnectionBufferBytes:N0} bytes)");
    }

    [Fact]
    public async Task A_Packet_Half_Received_Holds_A_Buffer_Until_It_Is_Whole()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(Codec.Encode(new MqttConnectPacket { ClientId = "dev-1", CleanStart = true }, MqttProtocolVersion.V500));
        byte[] connAck = await raw.ReadAsync(2, Peers.Timeout);
        Assert.Equal(0x20, connAck[0]);
        MqttServerStatistics statistics = broker.Server.Statistics;
        await Poll.UntilAsync(() => statistics.ConnectionBufferBytes == 0, Peers.Timeout, "the connected device to hold no buffer");

        byte[] publish = Codec.Encode(new MqttPublishPacket { Topic = "devices/dev-1/messages/events/", Payload = s_payload, QoS = MqttQualityOfServiceLevel.AtMostOnce }, MqttProtocolVersion.V500);
        await raw.SendAsync(publish[..10]);
        // The counter is the connection's, not a constant: the first half of a packet waits in a rented segment.
        await Poll.UntilAsync(() => statistics.ConnectionBufferBytes > 0, Peers.Timeout, "the half packet to be held in a buffer");

        await raw.SendAsync(publish[10..]);
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        await Poll.UntilAsync(() => statistics.ConnectionBufferBytes == 0, Peers.Timeout, "the buffer to go back once the packet was whole");
    }
}
