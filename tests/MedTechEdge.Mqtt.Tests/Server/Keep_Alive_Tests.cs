using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>
/// Keep Alive (MQTT 5.0 §3.1.2.10, [MQTT-3.1.2-24]) and PINGREQ/PINGRESP (§3.12), on a test clock: the broker's
/// keep-alive timer is created when the connection starts reading, and the test moves time past it.
/// </summary>
public sealed class Keep_Alive_Tests
{
    private readonly TestClock _clock = new();

    [Fact]
    public async Task Silent_Client_Is_Disconnected_With_0x8D_After_One_And_A_Half_Keep_Alives()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.TimeProvider = _clock);
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5(keepAlive: 2));
        byte[] head = await raw.ReadAsync(2, Peers.Timeout);
        await raw.ReadAsync(head[1], Peers.Timeout);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(3));

        // Just short of 1.5 x Keep Alive the connection is open: a PINGREQ is answered. It restarts the period.
        _clock.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));
        await raw.SendAsync(0xC0, 0x00);
        Assert.Equal(new byte[] { 0xD0, 0x00 }, await raw.ReadAsync(2, Peers.Timeout));

        // Then silence for 1.5 x Keep Alive.
        _clock.Advance(TimeSpan.FromSeconds(3));
        byte[] disconnect = await raw.ReadAsync(3, Peers.Timeout);

        Assert.Equal(new byte[] { 0xE0, 0x01, 0x8D }, disconnect);
    }

    [Fact]
    public async Task PingReq_Is_Answered_And_Keeps_The_Connection_Alive()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.TimeProvider = _clock);
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV311(keepAlive: 2));
        await raw.ReadAsync(4, Peers.Timeout);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(3));

        // Four pings 2.5 s apart span 10 s, more than three times the 3 s a silent client would get with Keep Alive 2.
        for (int i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2.5));
            await raw.SendAsync(0xC0, 0x00);
            Assert.Equal(new byte[] { 0xD0, 0x00 }, await raw.ReadAsync(2, Peers.Timeout));
        }
    }
}
