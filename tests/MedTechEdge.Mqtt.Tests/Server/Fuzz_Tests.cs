using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>
/// Randomly mutated and truncated packets, a fixed count of them from a fixed seed: the broker closes
/// the offending connections and keeps serving everyone else (MQTT 5.0 §4.13). The count can be raised
/// with MEDTECHEDGE_FUZZ_CASES.
/// </summary>
public sealed class Fuzz_Tests
{
    [Fact]
    public async Task Mutated_And_Truncated_Packets_Never_Stop_The_Broker_Serving_Others()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("MEDTECHEDGE_FUZZ_CASES"), out int n) ? n : 300;
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient bystander = await Peers.ConnectAsync(broker.Port, "bystander");
        var random = new Random(20261121);
        byte[][] seeds =
        [
            RawMqttSocket.ConnectV5(),
            RawMqttSocket.ConnectV311(),
            Codec.Encode(new MqttPublishPacket { Topic = "devices/d1/messages/events/", Payload = Encoding.UTF8.GetBytes("{\"hr\":72}"), QoS = MqttQualityOfServiceLevel.AtLeastOnce, PacketId = 7 }, MqttProtocolVersion.V500),
        ];

        for (int i = 0; i < cases; i++)
        {
            byte[] packet = Mutate(seeds[random.Next(seeds.Length)], random);
            await using RawMqttSocket raw = await RawMqttSocket.ConnectAsync(broker.Port);
            if (random.Next(2) == 0)
            {
                // Half the cases open a proper session first, so the mutated packet reaches the session's parser.
                await raw.SendAsync(RawMqttSocket.ConnectV5());
            }

            try
            {
                await raw.SendAsync(packet);
            }
            catch (IOException)
            {
                // The broker may already have closed the connection: that is an allowed answer.
            }
        }

        // Everyone else is still served, and new connections are still accepted.
        Assert.True((await bystander.PublishAsync("devices/bystander/messages/events/", Encoding.UTF8.GetBytes("{}"))).IsSuccess);
        await using MqttClient late = await Peers.ConnectAsync(broker.Port, "late");
        Assert.True((await late.PublishAsync("devices/late/messages/events/", Encoding.UTF8.GetBytes("{}"))).IsSuccess);
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                // Flip a few bits anywhere, the fixed header included.
                for (int k = 0; k < 1 + random.Next(4); k++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                // Truncate.
                return bytes[..random.Next(1, bytes.Length)];
            case 2:
                // Overwrite a byte with an extreme value (lengths, flags, property ids).
                bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                return bytes;
            default:
                // Random garbage after a valid start.
                byte[] tail = new byte[random.Next(1, 64)];
                random.NextBytes(tail);
                return [.. bytes[..random.Next(1, bytes.Length)], .. tail];
        }
    }
}
