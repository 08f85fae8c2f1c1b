using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>Real peer: our client against a Mosquitto broker.</summary>
public sealed class MqttClient_Against_Mosquitto_Tests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Client_Subscribes_And_Receives_Its_Own_QoS1_Publish_Through_Mosquitto(MqttProtocolVersion version)
    {
        await using MqttClient client = await Peers.ConnectAsync(mosquitto.Port, $"client-{version}", version);
        MqttSubscribeResult subscribed = await client.SubscribeAsync($"loop/{version}/#", MqttQualityOfServiceLevel.AtLeastOnce);
        Assert.Equal(MqttSubscribeReasonCode.GrantedQoS1, subscribed.ReasonCode);

        MqttPublishResult published = await client.PublishAsync($"loop/{version}/a", Encoding.UTF8.GetBytes("hello"), MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.True(published.IsSuccess);
        Assert.NotEqual(0, published.PacketId);
        MqttApplicationMessage received = await Peers.ReceiveAsync(client);
        Assert.Equal($"loop/{version}/a", received.Topic);
        Assert.Equal("hello", Encoding.UTF8.GetString(received.Payload.Span));
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, received.QoS);
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task Client_Keeps_Many_QoS1_Publishes_In_Flight_And_All_Complete()
    {
        await using MqttClient client = await Peers.ConnectAsync(mosquitto.Port, "many-in-flight");

        var publishes = new Task<MqttPublishResult>[200];
        for (int i = 0; i < publishes.Length; i++)
        {
            publishes[i] = client.PublishAsync("bulk/x", Encoding.UTF8.GetBytes($"m{i}"), MqttQualityOfServiceLevel.AtLeastOnce);
        }

        MqttPublishResult[] results = await Task.WhenAll(publishes);
        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(results.Length, results.Select(r => r.PacketId).Distinct().Count());
    }

    [Fact]
    public async Task Client_QoS2_Publish_Completes_After_PubComp_And_Mosquitto_Sub_Receives_It()
    {
        await using MqttClient client = await Peers.ConnectAsync(mosquitto.Port, "qos2-publisher");
        await using RunningMosquittoClient subscriber = await Peers.StartSubscriberAsync(mosquitto.Port, "qos2/#", "mqttv5", "2",
            () => client.PublishAsync("qos2/probe", Encoding.UTF8.GetBytes("probe"), MqttQualityOfServiceLevel.AtMostOnce));

        MqttPublishResult result = await client.PublishAsync("qos2/reading", Encoding.UTF8.GetBytes("exactly-once"), MqttQualityOfServiceLevel.ExactlyOnce);

        Assert.True(result.IsSuccess);
        await WaitForOutputAsync(subscriber, "qos2/reading exactly-once");
    }

    [Fact]
    public async Task Client_Receives_What_Mosquitto_Pub_Publishes_At_QoS2()
    {
        await using MqttClient client = await Peers.ConnectAsync(mosquitto.Port, "qos2-receiver");
        await client.SubscribeAsync("inbound/#", MqttQualityOfServiceLevel.ExactlyOnce);

        MosquittoClientResult pub = await MosquittoClients.PublishAsync(Peers.Timeout, "-h", mosquitto.Host, "-p", Peers.Text(mosquitto.Port), "-q", "2", "-t", "inbound/x", "-m", "from-mosquitto");

        Assert.Equal(0, pub.ExitCode);
        MqttApplicationMessage received = await Peers.ReceiveAsync(client);
        Assert.Equal("from-mosquitto", Encoding.UTF8.GetString(received.Payload.Span));
        Assert.Equal(MqttQualityOfServiceLevel.ExactlyOnce, received.QoS);
    }

    internal static async Task WaitForOutputAsync(RunningMosquittoClient subscriber, string expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!subscriber.StandardOutput.Contains(expected, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < Peers.Timeout, $"mosquitto_sub did not print '{expected}'; it printed: {subscriber.StandardOutput}");
            await Task.Delay(50);
        }
    }
}
