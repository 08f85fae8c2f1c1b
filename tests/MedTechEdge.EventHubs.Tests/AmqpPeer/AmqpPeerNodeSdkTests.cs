using System.Text;
using System.Text.Json;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;

namespace MedTechEdge.EventHubs.Tests.AmqpPeer;

/// <summary>
/// The second referee: Microsoft's Node SDK (<c>@azure/event-hubs</c> 6.0.4, tests/peers/eventhubs-sdk/producer.js)
/// sends to the peer too, so the peer is not tuned to one client. The Node SDK matches replies by link name where the
/// .NET SDK matches by address, and its AMQP library (rhea) is another reader of the peer's frames.
/// </summary>
public sealed class AmqpPeerNodeSdkTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_Node_Sdk_Reads_The_Partitions_And_Sends_A_Keyed_Batch_And_A_Partition_Send()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { PartitionCount = 2 });

        (int exitCode, string stdout, string stderr) = await RunProducerAsync(peer.ConnectionString);

        Assert.True(exitCode == 0, $"producer.js exited {exitCode}: {stderr}; token refusals: {string.Join("; ", peer.TokenRefusals)}; faults: {string.Join("; ", peer.Faults)}");
        using JsonDocument seen = JsonDocument.Parse(stdout);
        Assert.Equal(["0", "1"], seen.RootElement.GetProperty("partitionIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((long)peer.Options.MaxMessageSize, seen.RootElement.GetProperty("maxSizeInBytes").GetInt64());
        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(4, s_deadline);
        EventHubsRecordedEvent[] keyed = [.. events.Where(e => e.PartitionKey == "monitor-9")];
        Assert.Equal(3, keyed.Length);
        Assert.Single(keyed.Select(e => e.PartitionId).Distinct());
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal($$"""{"hr":{{80 + i}}}""", Encoding.UTF8.GetString(keyed[i].Body));
            Assert.Equal("application/json", keyed[i].ContentType);
            Assert.Equal("heartrate", keyed[i].Properties["type"]);
            Assert.Equal(i, Convert.ToInt32(keyed[i].Properties["n"], System.Globalization.CultureInfo.InvariantCulture));
        }

        EventHubsRecordedEvent toOne = Assert.Single(events, e => e.PartitionKey is null);
        Assert.Equal("1", toOne.PartitionId);
        long lastOfOne = events.Where(e => e.PartitionId == "1").Max(e => e.SequenceNumber);
        Assert.Equal(lastOfOne, seen.RootElement.GetProperty("lastSequenceNumberOfOne").GetInt64());
        Assert.Empty(peer.Faults);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProducerAsync(string connectionString)
    {
        NodeScriptResult run = await NodeScript.RunAsync("eventhubs-sdk", ["producer.js"], new Dictionary<string, string> { ["EH_CONNECTION_STRING"] = connectionString }, s_deadline);
        return (run.ExitCode, run.Stdout, run.Stderr);
    }
}
