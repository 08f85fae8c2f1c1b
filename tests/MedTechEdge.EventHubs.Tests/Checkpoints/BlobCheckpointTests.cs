using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests.Checkpoints;

/// <summary>Checkpoints in Azurite: round trip, the SDKs' blob name and metadata, cleared and missing ones, the container.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobCheckpointTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_Checkpoint_Round_Trips_And_Resumes_After_Its_Offset()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobCheckpointStore store = scope.NewStore();

        Assert.Null(await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "2", CancellationToken.None));
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "2", "processor-a", new CheckpointPosition("4096", 41), CancellationToken.None);
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "2", "processor-a", new CheckpointPosition("8192", 57), CancellationToken.None);

        // A second store instance: the state is in the blob, not in the object.
        EventProcessorCheckpoint? read = await scope.NewStore().GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "2", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(EventPosition.FromOffset("8192", isInclusive: false), read.StartingPosition);
        Assert.Equal("2", read.PartitionId);
        Assert.Equal(CheckpointScope.Hub, read.EventHubName);
        Assert.Equal("processor-a", read.ClientIdentifier);
        Assert.True(read.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Null(await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "3", CancellationToken.None));
        Assert.Equal(0, store.CorruptCheckpoints);
    }

    [Fact]
    public async Task The_Checkpoint_Blob_Is_The_Sdks_Lower_Case_Name_With_Offset_And_Sequence_Number_Metadata()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);

        await scope.NewStore().UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", "processor-a", new CheckpointPosition("1234", 9), CancellationToken.None);

        BlobItem blob = Assert.Single(await ListAsync(scope.Container));
        Assert.Equal(CheckpointScope.LowerCasePrefix + "checkpoint/0", blob.Name);
        Assert.Equal(0, blob.Properties.ContentLength);
        Assert.Equal(
            new Dictionary<string, string> { ["offset"] = "1234", ["sequencenumber"] = "9", ["clientidentifier"] = "processor-a" },
            blob.Metadata.ToDictionary(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_Position_Without_Offset_Writes_Empty_Offset_And_A_Cleared_Checkpoint_Reads_As_None()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobCheckpointStore store = scope.NewStore();

        // A sequence number alone is what SDKs before 5.11 and this one's obsolete constructor write; it must still position.
#pragma warning disable CS0618
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "1", "processor-a", new CheckpointPosition(12), CancellationToken.None);
#pragma warning restore CS0618
        BlobItem blob = Assert.Single(await ListAsync(scope.Container));
        Assert.Equal(string.Empty, blob.Metadata["offset"]);
        Assert.Equal("12", blob.Metadata["sequencenumber"]);
        EventProcessorCheckpoint? bySequence = await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "1", CancellationToken.None);
        Assert.Equal(EventPosition.FromSequenceNumber(12, isInclusive: false), bySequence?.StartingPosition);

        // new CheckpointPosition() is the SDK's way to clear a checkpoint: both values empty, read back as none.
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "1", "processor-a", new CheckpointPosition(), CancellationToken.None);
        Assert.Null(await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "1", CancellationToken.None));
        Assert.Equal(0, store.CorruptCheckpoints);
    }

    [Fact]
    public async Task A_Missing_Container_Is_Named_Without_The_Key_And_EnsureContainer_Creates_It()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "missing-" + Guid.NewGuid().ToString("N"));
        var store = new BlobCheckpointStore(container);

        CheckpointContainerNotFoundException fault = await Assert.ThrowsAsync<CheckpointContainerNotFoundException>(() =>
            store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", "a", new CheckpointPosition("0", 1), CancellationToken.None));
        Assert.Contains(container.Name, fault.Message, StringComparison.Ordinal);
        Assert.Equal(container.Name, fault.ContainerName);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, fault.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<CheckpointContainerNotFoundException>(() =>
            store.ListOwnershipAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, CancellationToken.None));
        await Assert.ThrowsAsync<CheckpointContainerNotFoundException>(() =>
            store.ClaimOwnershipAsync([CheckpointScope.Desired("0", "a")], CancellationToken.None));
        await Assert.ThrowsAsync<CheckpointContainerNotFoundException>(() =>
            store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", CancellationToken.None));

        await BlobCheckpointStore.EnsureContainerAsync(container, CancellationToken.None);
        await BlobCheckpointStore.EnsureContainerAsync(container, CancellationToken.None);
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", "a", new CheckpointPosition("0", 1), CancellationToken.None);
        Assert.NotNull(await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", CancellationToken.None));
    }

    internal static async Task<List<BlobItem>> ListAsync(BlobContainerClient container)
    {
        var blobs = new List<BlobItem>();
        await foreach (BlobItem blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            blobs.Add(blob);
        }

        return blobs;
    }
}
