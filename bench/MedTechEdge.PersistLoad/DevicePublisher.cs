using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The MQTT side of the CPU baseline: the bench's device messages published at QoS 1 over one MQTT 5 connection, the
/// next one sent as soon as the window has room, so the module's ingest is never waiting on the publisher.
/// </summary>
internal static class DevicePublisher
{
    /// <summary>
    /// Publishes messages 0 … <paramref name="count"/>-1 of <paramref name="run"/>, each on its device's topic, keeping
    /// up to <paramref name="window"/> unacknowledged; throws when the module refuses one.
    /// </summary>
    public static async Task PublishAsync(int port, string run, int count, int window)
    {
        await using var client = new MqttClient();
        await client.ConnectAsync(new MqttClientOptions { Port = port, ClientId = "bench-publisher-" + run, ProtocolVersion = MqttProtocolVersion.V500 }, CancellationToken.None);
        var inFlight = new Queue<Task<MqttPublishResult>>(window);
        for (int i = 0; i < count; i++)
        {
            if (inFlight.Count == window)
            {
                Check(await inFlight.Dequeue());
            }

            string topic = "devices/" + BenchDeviceMessages.DeviceId(run, i) + "/messages/events/";
            inFlight.Enqueue(client.PublishAsync(topic, BenchDeviceMessages.Body(run, i), MqttQualityOfServiceLevel.AtLeastOnce));
        }

        while (inFlight.Count > 0)
        {
            Check(await inFlight.Dequeue());
        }

        await client.DisconnectAsync();
    }

    private static void Check(MqttPublishResult result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("The module refused a publish: " + result.ReasonCode);
        }
    }
}
