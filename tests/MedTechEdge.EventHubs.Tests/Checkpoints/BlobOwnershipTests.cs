using Azure.Messaging.EventHubs.Primitives;
using Azure.Storage.Blobs.Models;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests.Checkpoints;

/// <summary>Partition ownership in Azurite: claims guarded by the blob's ETag, listing, and the SDKs' blob layout.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobOwnershipTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_New_Claim_Is_Granted_With_A_Version_And_Written_In_The_Sdks_Layout()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);

        EventProcessorPartitionOwnership claimed = Assert.Single(await scope.NewStore().ClaimOwnershipAsync([CheckpointScope.Desired("1", "processor-a")], CancellationToken.None));

        Assert.Equal("processor-a", claimed.OwnerIdentifier);
        Assert.Equal("1", claimed.PartitionId);
        Assert.False(string.IsNullOrEmpty(claimed.Version));
        BlobItem blob = Assert.Single(await BlobCheckpointTests.ListAsync(scope.Container));
        Assert.Equal(CheckpointScope.LowerCasePrefix + "ownership/1", blob.Name);
        Assert.Equal(new Dictionary<string, string> { ["ownerid"] = "processor-a" }, blob.Metadata.ToDictionary(StringComparer.Ordinal));
        Assert.Equal(blob.Properties.ETag.ToString()!.Trim('"'), claimed.Version);
        Assert.Equal(blob.Properties.LastModified, claimed.LastModifiedTime);
    }

    [Fact]
    public async Task A_Renewal_With_The_Current_Version_Is_Granted_And_A_Stale_Version_Is_Not()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobCheckpointStore store = scope.NewStore();
        EventProcessorPartitionOwnership first = Assert.Single(await store.ClaimOwnershipAsync([CheckpointScope.Desired("0", "processor-a")], CancellationToken.None));

        EventProcessorPartitionOwnership renewed = Assert.Single(await store.ClaimOwnershipAsync([CheckpointScope.Desired("0", "processor-a", first.Version)], CancellationToken.None));
        Assert.NotEqual(first.Version, renewed.Version);
        Assert.True(renewed.LastModifiedTime >= first.LastModifiedTime);

        // processor-b still holds the first version: the blob has moved on, so its claim is refused, not thrown.
        Assert.Empty(await store.ClaimOwnershipAsync([CheckpointScope.Desired("0", "processor-b", first.Version)], CancellationToken.None));
        // A claim as new (no version) on a partition that has an ownership blob is refused too.
        Assert.Empty(await store.ClaimOwnershipAsync([CheckpointScope.Desired("0", "processor-b")], CancellationToken.None));

        EventProcessorPartitionOwnership listed = Assert.Single(await store.ListOwnershipAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, CancellationToken.None));
        Assert.Equal("processor-a", listed.OwnerIdentifier);
        Assert.Equal(renewed.Version, listed.Version);
    }

    [Fact]
    public async Task Of_Two_Stores_Racing_For_One_Partition_Exactly_One_Wins()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobCheckpointStore a = scope.NewStore();
        BlobCheckpointStore b = scope.NewStore();

        // Round 1: both claim a partition nobody owns (If-None-Match: *). Round 2: both hold the same version of it.
        IEnumerable<EventProcessorPartitionOwnership>[] fresh = await Task.WhenAll(
            a.ClaimOwnershipAsync([CheckpointScope.Desired("5", "processor-a")], CancellationToken.None),
            b.ClaimOwnershipAsync([CheckpointScope.Desired("5", "processor-b")], CancellationToken.None));
        EventProcessorPartitionOwnership winner = Assert.Single(fresh.SelectMany(c => c));

        IEnumerable<EventProcessorPartitionOwnership>[] renewals = await Task.WhenAll(
            a.ClaimOwnershipAsync([CheckpointScope.Desired("5", "processor-a", winner.Version)], CancellationToken.None),
            b.ClaimOwnershipAsync([CheckpointScope.Desired("5", "processor-b", winner.Version)], CancellationToken.None));
        EventProcessorPartitionOwnership second = Assert.Single(renewals.SelectMany(c => c));

        EventProcessorPartitionOwnership listed = Assert.Single(await a.ListOwnershipAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, CancellationToken.None));
        Assert.Equal(second.OwnerIdentifier, listed.OwnerIdentifier);
        Assert.Equal(second.Version, listed.Version);
    }

    [Fact]
    public async Task ListOwnership_Returns_Owner_Time_And_Version_Of_Each_Partition_Of_Its_Hub_Only()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobCheckpointStore store = scope.NewStore();
        DateTimeOffset before = DateTimeOffset.UtcNow.AddMinutes(-5);
        List<EventProcessorPartitionOwnership> claimed = [.. await store.ClaimOwnershipAsync(
            [CheckpointScope.Desired("0", "processor-a"), CheckpointScope.Desired("1", "processor-b"), CheckpointScope.Desired("10", "processor-a")],
            CancellationToken.None)];
        // Another consumer group's ownership and a checkpoint share the container but are not this group's ownership.
        await store.ClaimOwnershipAsync([new EventProcessorPartitionOwnership
        {
            FullyQualifiedNamespace = CheckpointScope.Namespace, EventHubName = CheckpointScope.Hub, ConsumerGroup = "other",
            PartitionId = "0", OwnerIdentifier = "processor-c",
        }], CancellationToken.None);
        await store.UpdateCheckpointAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, "0", "processor-a", new Azure.Messaging.EventHubs.Processor.CheckpointPosition("300", 3), CancellationToken.None);

        List<EventProcessorPartitionOwnership> listed = [.. (await store.ListOwnershipAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, CancellationToken.None))
            .OrderBy(o => o.PartitionId, StringComparer.Ordinal)];

        Assert.Equal(["0", "1", "10"], listed.Select(o => o.PartitionId));
        Assert.Equal(["processor-a", "processor-b", "processor-a"], listed.Select(o => o.OwnerIdentifier));
        Assert.Equal(claimed.OrderBy(o => o.PartitionId, StringComparer.Ordinal).Select(o => o.Version), listed.Select(o => o.Version));
        Assert.All(listed, o =>
        {
            Assert.True(o.LastModifiedTime > before, $"partition {o.PartitionId}: {o.LastModifiedTime}");
            Assert.Equal(CheckpointScope.Hub, o.EventHubName);
            Assert.Equal(CheckpointScope.Group, o.ConsumerGroup);
            Assert.Equal(CheckpointScope.Namespace, o.FullyQualifiedNamespace);
        });
    }

    [Fact]
    public async Task A_Relinquished_Ownership_Lists_With_An_Empty_Owner()
    {
        CheckpointScope scope = await CheckpointScope.CreateAsync(azurite);
        BlobCheckpointStore store = scope.NewStore();
        EventProcessorPartitionOwnership held = Assert.Single(await store.ClaimOwnershipAsync([CheckpointScope.Desired("2", "processor-a")], CancellationToken.None));

        // The processor gives partitions up on stop by claiming them for an empty owner id.
        Assert.Single(await store.ClaimOwnershipAsync([CheckpointScope.Desired("2", string.Empty, held.Version)], CancellationToken.None));

        EventProcessorPartitionOwnership listed = Assert.Single(await store.ListOwnershipAsync(CheckpointScope.Namespace, CheckpointScope.Hub, CheckpointScope.Group, CancellationToken.None));
        Assert.Equal(string.Empty, listed.OwnerIdentifier);
    }
}
