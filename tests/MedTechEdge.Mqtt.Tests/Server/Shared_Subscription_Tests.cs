using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Shared Subscriptions (MQTT 5.0 §4.8.2).</summary>
public sealed class Shared_Subscription_Tests
{
    [Fact]
    public async Task Each_Message_Goes_To_Exactly_One_Member_Of_The_Group()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient workerA = await Peers.ConnectAsync(broker.Port, "worker-a");
        await using MqttClient workerB = await Peers.ConnectAsync(broker.Port, "worker-b");
        await using MqttClient observer = await Peers.ConnectAsync(broker.Port, "observer");
        Assert.Equal(MqttSubscribeReasonCode.GrantedQoS1, (await workerA.SubscribeAsync("$share/workers/jobs/#")).ReasonCode);
        await workerB.SubscribeAsync("$share/workers/jobs/#");
        await observer.SubscribeAsync("jobs/#");
        await using MqttClient publisher = await Peers.ConnectAsync(broker.Port, "pub");

        for (int i = 0; i < 10; i++)
        {
            await publisher.PublishAsync("jobs/x", Encoding.UTF8.GetBytes(Peers.Text(i)));
        }

        for (int i = 0; i < 10; i++)
        {
            await Peers.ReceiveAsync(observer);
        }

        Assert.True(await Until.TrueAsync(() => workerA.ReceivedMessages.Count + workerB.ReceivedMessages.Count >= 10), "the workers did not get all ten");
        int a = workerA.ReceivedMessages.Count;
        int b = workerB.ReceivedMessages.Count;
        Assert.Equal(10, a + b);
        Assert.True(a > 0 && b > 0, $"Unbalanced: {a} and {b}.");
    }

    [Fact]
    public async Task Invalid_Share_Name_Is_Refused_In_Suback()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "c");

        MqttSubscribeResult result = await client.SubscribeAsync("$share/bad+name/jobs");

        Assert.Equal(MqttSubscribeReasonCode.TopicFilterInvalid, result.ReasonCode);
    }
}
