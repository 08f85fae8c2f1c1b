using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests.Checkpoints;

/// <summary>
/// The referee: Microsoft's Node checkpoint store (<c>@azure/eventhubs-checkpointstore-blob</c> 2.0.0,
/// tests/peers/azurite/checkpoint-referee.mjs) reads the checkpoints and ownership this module's store wrote, and
/// writes some that the module's store reads, in the same Azurite container. Agreement with a store the module did not
/// write proves the layout is the SDKs', not one of our own.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class NodeCheckpointStoreRefereeTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_Node_Store_Reads_The_Checkpoints_And_Ownership_The_Module_Wrote()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobCheckpointStore store = scope.NewStore();
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", "medtechedge-1", new CheckpointPosition("4096", 41), CancellationToken.None);
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "1", "medtechedge-1", new CheckpointPosition("0", 0), CancellationToken.None);
        List<EventProcessorPartitionOwnership> claimed = [.. await store.ClaimOwnershipAsync(
            [CheckpointScope.Desired("0", "medtechedge-1"), CheckpointScope.Desired("1", "medtechedge-2")], CancellationToken.None)];
        Assert.Equal(2, claimed.Count);

        using JsonDocument seen = await RunRefereeAsync(scope, "read", new { });

        JsonElement[] checkpoints = [.. seen.RootElement.GetProperty("checkpoints").EnumerateArray().OrderBy(c => c.GetProperty("partitionId").GetString(), StringComparer.Ordinal)];
        Assert.Equal(["0", "1"], checkpoints.Select(c => c.GetProperty("partitionId").GetString()));
        Assert.Equal(["4096", "0"], checkpoints.Select(c => c.GetProperty("offset").GetString()));
        Assert.Equal([41L, 0L], checkpoints.Select(c => c.GetProperty("sequenceNumber").GetInt64()));

        JsonElement[] ownerships = [.. seen.RootElement.GetProperty("ownerships").EnumerateArray().OrderBy(o => o.GetProperty("partitionId").GetString(), StringComparer.Ordinal)];
        Assert.Equal(["medtechedge-1", "medtechedge-2"], ownerships.Select(o => o.GetProperty("ownerId").GetString()));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(claimed[i].Version, ownerships[i].GetProperty("etag").GetString()!.Trim('"'));
            Assert.Equal(claimed[i].LastModifiedTime.ToUnixTimeMilliseconds(), ownerships[i].GetProperty("lastModifiedTimeInMs").GetInt64());
        }
    }

    [Fact]
    public async Task The_Module_Reads_The_Checkpoints_And_Ownership_The_Node_Store_Wrote_And_Renews_That_Ownership()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);

        using JsonDocument written = await RunRefereeAsync(scope, "write", new
        {
            checkpoints = new[] { new { partitionId = "2", offset = "512", sequenceNumber = 3 }, new { partitionId = "3", offset = "1024", sequenceNumber = 9 } },
            ownerships = new[] { new { partitionId = "2", ownerId = "node-processor" } },
        });

        BlobCheckpointStore store = scope.NewStore();
        EventProcessorCheckpoint? two = await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "2", CancellationToken.None);
        EventProcessorCheckpoint? three = await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "3", CancellationToken.None);
        Assert.Equal(EventPosition.FromOffset("512", isInclusive: false), two?.StartingPosition);
        Assert.Equal(EventPosition.FromOffset("1024", isInclusive: false), three?.StartingPosition);
        Assert.Equal(0, store.CorruptCheckpoints);

        EventProcessorPartitionOwnership listed = Assert.Single(await store.ListOwnershipAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, CancellationToken.None));
        Assert.Equal("2", listed.PartitionId);
        Assert.Equal("node-processor", listed.OwnerIdentifier);
        string nodeEtag = written.RootElement.GetProperty("claimed")[0].GetProperty("etag").GetString()!;
        Assert.Equal(nodeEtag.Trim('"'), listed.Version);

        // The version the Node store's ETag became works as our If-Match: taking the partition over is granted.
        EventProcessorPartitionOwnership taken = Assert.Single(await store.ClaimOwnershipAsync([CheckpointScope.Desired("2", "medtechedge-1", listed.Version)], CancellationToken.None));
        Assert.Equal("medtechedge-1", taken.OwnerIdentifier);
    }

    private static async Task<JsonDocument> RunRefereeAsync(CheckpointScope scope, string command, object request)
    {
        var environment = new Dictionary<string, string>
        {
            ["CHECKPOINT_CONNECTION_STRING"] = scope.ConnectionString,
            ["CHECKPOINT_CONTAINER"] = scope.Container.Name,
            ["CHECKPOINT_REQUEST"] = JsonSerializer.Serialize(new Dictionary<string, object>(ToDictionary(request))
            {
                ["namespace"] = CheckpointScope.Namespace,
                ["hub"] = CheckpointScope.Hub,
                ["group"] = CheckpointScope.Group,
            }),
        };
        NodeScriptResult run = await NodeScript.RunAsync("azurite", ["checkpoint-referee.mjs", command], environment, s_deadline);
        Assert.True(run.ExitCode == 0, $"checkpoint-referee.mjs {command} exited {run.ExitCode}: {run.Stderr}");
        return JsonDocument.Parse(run.Stdout);
    }

    private static Dictionary<string, object> ToDictionary(object request) =>
        JsonSerializer.Deserialize<Dictionary<string, object>>(JsonSerializer.Serialize(request))!;
}
