using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.EventHubs.Checkpoints;
using Microsoft.Extensions.Time.Testing;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>The SQLite checkpoint store as the SDK's load balancer and processor use it.</summary>
public sealed class SqliteCheckpointStoreTests
{
    private const string Namespace = "Contoso.servicebus.windows.net";
    private const string Hub = "Vitals";
    private const string Group = "medtechedge";
    private static readonly DateTimeOffset s_start = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Of_Two_Claims_On_The_Same_Version_Only_The_First_Wins_And_A_Stale_Version_Is_Refused()
    {
        await using var temp = new IngressTestStore();
        var clock = new FakeTimeProvider(s_start);
        using var store = new SqliteCheckpointStore(temp.Store, clock);

        // Both processors see no owner and claim partition 0 with no version: the insert admits one.
        EventProcessorPartitionOwnership first = Assert.Single(await store.ClaimOwnershipAsync([Desired("a", "0", null)], CancellationToken.None));
        Assert.Empty(await store.ClaimOwnershipAsync([Desired("b", "0", null)], CancellationToken.None));
        Assert.Equal("a", first.OwnerIdentifier);
        Assert.Equal(s_start, first.LastModifiedTime);

        // A renewal with the version it got succeeds and moves the version on ...
        clock.Advance(TimeSpan.FromSeconds(10));
        EventProcessorPartitionOwnership renewed = Assert.Single(await store.ClaimOwnershipAsync([Desired("a", "0", first.Version)], CancellationToken.None));
        Assert.NotEqual(first.Version, renewed.Version);

        // ... so b, which read the first version, is refused, and so is a version this store never handed out.
        Assert.Empty(await store.ClaimOwnershipAsync([Desired("b", "0", first.Version)], CancellationToken.None));
        Assert.Empty(await store.ClaimOwnershipAsync([Desired("b", "0", "W/\"0x8DC\"")], CancellationToken.None));

        // b takes the partition over with the current version (as after a's claim expired), and a's renewal now fails.
        EventProcessorPartitionOwnership taken = Assert.Single(await store.ClaimOwnershipAsync([Desired("b", "0", renewed.Version)], CancellationToken.None));
        Assert.Empty(await store.ClaimOwnershipAsync([Desired("a", "0", renewed.Version)], CancellationToken.None));

        EventProcessorPartitionOwnership listed = Assert.Single(await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None));
        Assert.Equal("b", listed.OwnerIdentifier);
        Assert.Equal(taken.Version, listed.Version);
        Assert.Equal(s_start.AddSeconds(10), listed.LastModifiedTime);
    }

    [Fact]
    public async Task Claims_For_Several_Partitions_Succeed_Or_Fail_Each_On_Its_Own()
    {
        await using var temp = new IngressTestStore();
        using var store = new SqliteCheckpointStore(temp.Store, new FakeTimeProvider(s_start));
        EventProcessorPartitionOwnership one = Assert.Single(await store.ClaimOwnershipAsync([Desired("a", "1", null)], CancellationToken.None));

        IEnumerable<EventProcessorPartitionOwnership> claimed = await store.ClaimOwnershipAsync(
            [Desired("b", "0", null), Desired("b", "1", null), Desired("b", "2", null)], CancellationToken.None);

        Assert.Equal(["0", "2"], claimed.Select(o => o.PartitionId).Order());
        // Another hub or consumer group is another scope.
        Assert.Empty(await store.ListOwnershipAsync(Namespace, Hub, "other", CancellationToken.None));
        Assert.Equal(3, (await store.ListOwnershipAsync(Namespace.ToUpperInvariant(), Hub, Group, CancellationToken.None)).Count());
        Assert.Equal("a", (await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None)).Single(o => o.PartitionId == "1").OwnerIdentifier);
        Assert.Equal(one.Version, (await store.ListOwnershipAsync(Namespace, Hub, Group, CancellationToken.None)).Single(o => o.PartitionId == "1").Version);
    }

    [Fact]
    public async Task A_Checkpoint_Round_Trips_And_Resumes_After_Its_Sequence_Number()
    {
        await using var temp = new IngressTestStore();
        var clock = new FakeTimeProvider(s_start);
        using var store = new SqliteCheckpointStore(temp.Store, clock);
        Assert.Null(await store.GetCheckpointAsync(Namespace, Hub, Group, "3", CancellationToken.None));

        await store.UpdateCheckpointAsync(Namespace, Hub, Group, "3", "instance-a", new CheckpointPosition("4096", 41), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        await store.UpdateCheckpointAsync(Namespace, Hub, Group, "3", "instance-a", new CheckpointPosition("8192", 57), CancellationToken.None);

        EventProcessorCheckpoint checkpoint = await store.GetCheckpointAsync(Namespace, Hub, Group, "3", CancellationToken.None);
        Assert.Equal("3", checkpoint.PartitionId);
        Assert.Equal("instance-a", checkpoint.ClientIdentifier);
        Assert.Equal(s_start.AddSeconds(5), checkpoint.LastModified);
        Assert.Equal(EventPosition.FromSequenceNumber(57, isInclusive: false), checkpoint.StartingPosition);
        Assert.Null(await store.GetCheckpointAsync(Namespace, Hub, Group, "2", CancellationToken.None));

        // Kept in the store's file: a new instance of the store (after a restart) reads the same.
        using var reopened = new SqliteCheckpointStore(MedTechEdge.Storage.MedTechStore.Open(temp.Options), clock);
        EventProcessorCheckpoint again = await reopened.GetCheckpointAsync(Namespace, Hub, Group, "3", CancellationToken.None);
        Assert.Equal(checkpoint.StartingPosition, again.StartingPosition);
        Assert.Equal("8192", temp.Checkpoint(Namespace, Hub, "3", Group)!.Offset);
    }

    private static EventProcessorPartitionOwnership Desired(string owner, string partition, string? version) => new()
    {
        FullyQualifiedNamespace = Namespace,
        EventHubName = Hub,
        ConsumerGroup = Group,
        PartitionId = partition,
        OwnerIdentifier = owner,
        Version = version,
    };
}
