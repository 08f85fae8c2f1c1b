using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Keep Alive (MQTT 5.0 §3.1.2.10, [MQTT-3.1.2-24]) and PINGREQ/PINGRESP (§3.12).</summary>
public sealed class Keep_Alive_Tests
{
    [Fact]
    public async Task Silent_Client_Is_Disconnected_With_0x8D_After_One_And_A_Half_Keep_Alives()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV5(keepAlive: 1));
        byte[] head = await raw.ReadAsync(2, TimeSpan.FromSeconds(5));
        await raw.ReadAsync(head[1], TimeSpan.FromSeconds(5));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        byte[] disconnect = await raw.ReadAsync(3, TimeSpan.FromSeconds(5));

        Assert.Equal(new byte[] { 0xE0, 0x01, 0x8D }, disconnect);
        // 1.5 s nominal; generous upper bound for a loaded CI machine.
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.2, 6.0);
    }

    [Fact]
    public async Task PingReq_Is_Answered_And_Keeps_The_Connection_Alive()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
        await raw.SendAsync(RawMqttSocket.ConnectV311(keepAlive: 2));
        await raw.ReadAsync(4, TimeSpan.FromSeconds(5));

        // Four pings 1.2 s apart span 4.8 s, well past the 3 s a silent client would get with Keep Alive 2.
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(1200);
            await raw.SendAsync(0xC0, 0x00);
            Assert.Equal(new byte[] { 0xD0, 0x00 }, await raw.ReadAsync(2, TimeSpan.FromSeconds(5)));
        }
    }
}
