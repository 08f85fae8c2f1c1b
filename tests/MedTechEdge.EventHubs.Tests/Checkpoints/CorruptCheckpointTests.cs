using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Storage.Blobs;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests.Checkpoints;

/// <summary>
/// A checkpoint blob someone broke (metadata lost, or not a number) resumes the partition from the earliest event and
/// is reported, instead of leaving the partition stuck or starting at Latest and losing events.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class CorruptCheckpointTests(AzuriteFixture azurite)
{
    public static TheoryData<string, string?, string?> Broken => new()
    {
        { "no metadata", null, null },
        { "sequence number not a number", "abc", "" },
        { "offset not a number, no sequence number", "", "12x" },
        { "only an offset key, empty", null, "" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_Corrupt_Checkpoint_Resumes_From_Earliest_And_Is_Reported_With_Its_Blob(string what, string? sequenceNumber, string? offset)
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        string name = CheckpointScope.LowerCasePrefix + "checkpoint/3";
        var metadata = new Dictionary<string, string>();
        if (sequenceNumber is not null)
        {
            metadata["sequencenumber"] = sequenceNumber;
        }

        if (offset is not null)
        {
            metadata["offset"] = offset;
        }

        await scope.Container.GetBlobClient(name).UploadAsync(BinaryData.Empty, new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = metadata });
        BlobCheckpointStore store = scope.NewStore();
        var reports = new List<CorruptCheckpointEventArgs>();
        store.CorruptCheckpointFound += (_, e) => reports.Add(e);

        EventProcessorCheckpoint? checkpoint = await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "3", CancellationToken.None);

        Assert.True(checkpoint is not null, what);
        Assert.Equal(EventPosition.Earliest, checkpoint.StartingPosition);
        Assert.Equal(1, store.CorruptCheckpoints);
        CorruptCheckpointEventArgs report = Assert.Single(reports);
        Assert.Equal(name, report.BlobName);
        Assert.Equal("3", report.PartitionId);
        Assert.Contains(name, report.Message, StringComparison.Ordinal);
        Assert.Contains(scope.Container.Name, report.Message, StringComparison.Ordinal);
        Assert.Contains("earliest", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Next_Checkpoint_Repairs_A_Corrupt_Blob()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobClient blob = scope.Container.GetBlobClient(CheckpointScope.LowerCasePrefix + "checkpoint/0");
        await blob.UploadAsync(BinaryData.Empty, new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = new Dictionary<string, string> { ["sequencenumber"] = "NaN" } });
        BlobCheckpointStore store = scope.NewStore();
        Assert.Equal(EventPosition.Earliest, (await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", CancellationToken.None))?.StartingPosition);

        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", "a", new Azure.Messaging.EventHubs.Processor.CheckpointPosition("640", 5), CancellationToken.None);

        Assert.Equal(EventPosition.FromOffset("640", isInclusive: false), (await store.GetCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", CancellationToken.None))?.StartingPosition);
        Assert.Equal(1, store.CorruptCheckpoints);
    }
}
