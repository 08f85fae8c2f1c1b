using Azure.Messaging.EventHubs.Primitives;
using Azure.Storage.Blobs;
using MedTechEdge.EventHubs.Checkpoints;
using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests.Checkpoints;

/// <summary>
/// One test's hub coordinates and a fresh container in Azurite. The names are mixed case on purpose: the SDKs' layout
/// lower-cases them, and a store that did not would write blobs no other reader finds.
/// </summary>
internal sealed class CheckpointScope
{
    public const string Namespace = "MedTech-Edge.servicebus.windows.net";
    public const string Hub = "Vitals";
    public const string Group = "$Default";

    /// <summary>The prefix every blob of this hub and group has in the SDKs' layout, spelled out by hand.</summary>
    public const string LowerCasePrefix = "medtech-edge.servicebus.windows.net/vitals/$default/";

    private CheckpointScope(BlobContainerClient container, string connectionString)
    {
        Container = container;
        ConnectionString = connectionString;
    }

    public BlobContainerClient Container { get; }

    /// <summary>Azurite's development-account connection string, for the Node referee.</summary>
    public string ConnectionString { get; }

    public static async Task<CheckpointScope> CreateAsync(AzuriteFixture azurite)
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "cp-" + Guid.NewGuid().ToString("N"));
        await BlobCheckpointStore.EnsureContainerAsync(container, CancellationToken.None);
        return new CheckpointScope(container, azurite.ConnectionString);
    }

    public BlobCheckpointStore NewStore() => new(Container);

    public static EventProcessorPartitionOwnership Desired(string partitionId, string owner, string? version = null) => new()
    {
        FullyQualifiedNamespace = Namespace,
        EventHubName = Hub,
        ConsumerGroup = Group,
        PartitionId = partitionId,
        OwnerIdentifier = owner,
        Version = version,
    };
}
