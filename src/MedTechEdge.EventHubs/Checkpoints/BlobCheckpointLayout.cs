using System.Globalization;

namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>
/// Blob names and metadata keys of the Event Hubs SDKs' blob checkpoint store, so that every SDK consumer and KEDA's
/// Event Hubs scaler (checkpoint strategy <c>blobMetadata</c>) read the state this module writes, and the other way round.
/// </summary>
/// <remarks>
/// Confirmed from the sources (read 2026-12-06):
/// <list type="bullet">
/// <item>.NET: Azure/azure-sdk-for-net sdk/eventhub/Azure.Messaging.EventHubs.Shared/src/BlobCheckpointStore/
/// BlobCheckpointStoreInternal.cs (<c>CheckpointPrefix = "{0}/{1}/{2}/checkpoint/"</c>, <c>OwnershipPrefix =
/// "{0}/{1}/{2}/ownership/"</c>, each of namespace, hub and group through <c>ToLowerInvariant()</c>, the partition id
/// appended as is) and BlobMetadataKey.cs (<c>ownerid</c>, <c>offset</c>, <c>sequencenumber</c>; lower case because
/// the storage SDK refuses upper-case metadata keys).</item>
/// <item>Node: npm @azure/eventhubs-checkpointstore-blob 2.0.0, dist/esm/blobCheckpointStore.js <c>getBlobPrefix</c>:
/// the same names, lower-cased "because none of these are case-sensitive in eventhubs".</item>
/// </list>
/// Blobs are empty; all state is in metadata (and the ownership's ETag and last-modified time).
/// </remarks>
internal static class BlobCheckpointLayout
{
    /// <summary>Ownership blob metadata: the owning processor's identifier (empty: relinquished).</summary>
    public const string OwnerIdKey = "ownerid";

    /// <summary>Checkpoint blob metadata: the offset as a string; empty when the writer had none.</summary>
    public const string OffsetKey = "offset";

    /// <summary>Checkpoint blob metadata: the sequence number in invariant decimal; empty when the writer had none.</summary>
    public const string SequenceNumberKey = "sequencenumber";

    /// <summary>
    /// Checkpoint blob metadata: the identifier of the processor that wrote it. The .NET SDK writes the client
    /// identifier since 5.11 (BlobCheckpointStoreInternal.UpdateCheckpointInternalAsync); the key's spelling is the SDK's
    /// lower-case rule applied to its name (the indexed BlobMetadataKey.cs predates it). Readers treat it as
    /// informational and ignore it when absent; the Node store does not read it at all.
    /// </summary>
    public const string ClientIdentifierKey = "clientidentifier";

    /// <summary>The prefix of every checkpoint blob of one hub and consumer group.</summary>
    public static string CheckpointPrefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup) =>
        Prefix(fullyQualifiedNamespace, eventHubName, consumerGroup, "checkpoint");

    /// <summary>The prefix of every ownership blob of one hub and consumer group.</summary>
    public static string OwnershipPrefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup) =>
        Prefix(fullyQualifiedNamespace, eventHubName, consumerGroup, "ownership");

    /// <summary><c>{namespace}/{hub}/{group}/checkpoint/{partition}</c>, the first three lower case.</summary>
    public static string CheckpointBlobName(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId) =>
        CheckpointPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup) + partitionId;

    /// <summary><c>{namespace}/{hub}/{group}/ownership/{partition}</c>, the first three lower case.</summary>
    public static string OwnershipBlobName(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId) =>
        OwnershipPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup) + partitionId;

    private static string Prefix(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string kind) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{fullyQualifiedNamespace.ToLowerInvariant()}/{eventHubName.ToLowerInvariant()}/{consumerGroup.ToLowerInvariant()}/{kind}/");
}
