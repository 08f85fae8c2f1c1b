using System.Text;
using Azure.Messaging.EventHubs.Producer;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.EventHubs.Tests.AmqpPeer;

/// <summary>What the peer refuses, and what Microsoft's .NET producer does about it.</summary>
public sealed class AmqpPeerRefusalTests
{
    [Fact]
    public async Task A_Wrong_Key_Fails_The_Send_And_The_Management_Read_As_Unauthorized()
    {
        using var peer = new EventHubsAmqpPeer();
        string wrongKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("not-the-peer-key"));
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionStringWithKey(wrongKey), maximumRetries: 0);

        // The SDK turns a put-token 401 (and a management 401) into UnauthorizedAccessException, not EventHubsException.
        var send = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => producer.SendAsync([SdkProducer.Event("x")]));
        var read = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => producer.GetPartitionIdsAsync());

        Assert.Contains("signature does not match", send.Message, StringComparison.Ordinal);
        Assert.Contains("signature does not match", read.Message, StringComparison.Ordinal);
        Assert.Equal(2, peer.TokenRefusals.Count);
        Assert.Empty(peer.Events);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task A_Token_For_Another_Hub_Does_Not_Open_This_One()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { Hub = "vitals" });
        string otherHub = peer.ConnectionString.Replace("EntityPath=vitals", "EntityPath=other", StringComparison.Ordinal);
        await using EventHubProducerClient producer = SdkProducer.Create(otherHub, maximumRetries: 0);

        var send = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => producer.SendAsync([SdkProducer.Event("x")]));

        Assert.Contains("is not the hub", send.Message, StringComparison.Ordinal);
        Assert.Empty(peer.Events);
    }

    [Fact]
    public async Task A_Server_Busy_Refusal_Is_Retried_And_The_Events_Arrive_Once()
    {
        using var peer = new EventHubsAmqpPeer();
        await using EventHubProducerClient producer = SdkProducer.Create(peer.ConnectionString);
        peer.RefuseSends(2);

        await producer.SendAsync(
            [SdkProducer.Event("a"), SdkProducer.Event("b"), SdkProducer.Event("c")],
            new SendEventOptions { PartitionKey = "monitor-1" });

        Assert.Equal(2, peer.RefusedSends);
        Assert.Equal(["a", "b", "c"], peer.Events.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.Empty(peer.Faults);
    }
}
