using Azure;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>
/// Checkpoints and partition ownership in an Azure Blob Storage container, in the Event Hubs SDKs' own layout
/// (<see cref="BlobCheckpointLayout"/>), so this module, Microsoft's processors in any language and KEDA's Event Hubs
/// scaler share one state.
/// </summary>
/// <remarks>
/// <para>
/// Ownership is optimistic concurrency on the ownership blob's ETag, as the .NET SDK's BlobCheckpointStoreInternal
/// does: a claim with a version sets the metadata If-Match that version; a claim without one creates the blob
/// If-None-Match <c>*</c>. A claim another processor won in between (412, or 409 for a blob that appeared) is simply
/// not returned; the processor's load balancing sees that on its next cycle. The blob's last-modified time is the
/// ownership's time, which the processor compares with its ownership expiry.
/// </para>
/// <para>
/// A checkpoint blob whose metadata gives no position (<see cref="BlobCheckpointMetadata.Read"/>) resumes its
/// partition from <see cref="EventPosition.Earliest"/>, where the SDK's store returns no checkpoint at all and the
/// processor would start from its default position, possibly Latest, losing what arrived since. A replay is harmless
/// here: Observation ids are deterministic. Each such read counts in <see cref="CorruptCheckpoints"/> and raises
/// <see cref="CorruptCheckpointFound"/>.
/// </para>
/// <para>
/// Other storage failures (throttling, timeouts, 5xx) propagate as the storage SDK's <see cref="RequestFailedException"/>:
/// the processor retries them and reports them to its error handler. A missing container is not transient and is a
/// <see cref="CheckpointContainerNotFoundException"/> naming it; <see cref="EnsureContainerAsync"/> creates it at start.
/// </para>
/// </remarks>
public sealed class BlobCheckpointStore : CheckpointStore
{
    private readonly BlobContainerClient _container;
    private long _corruptCheckpoints;

    /// <summary>Creates the store over a container, which should exist (see <see cref="EnsureContainerAsync"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="container"/> is null.</exception>
    public BlobCheckpointStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    /// <summary>Raised for each read of a corrupt checkpoint blob, before the partition resumes from the earliest event.</summary>
    public event EventHandler<CorruptCheckpointEventArgs>? CorruptCheckpointFound;

    /// <summary>How many corrupt checkpoint blobs were read since the store was created.</summary>
    public long CorruptCheckpoints => Interlocked.Read(ref _corruptCheckpoints);

    /// <summary>Creates the container when it does not exist; the host calls this once at start.</summary>
    /// <exception cref="RequestFailedException">Storage refused (e.g. no permission to create containers).</exception>
    public static async Task EnsureContainerAsync(BlobContainerClient container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        // Asking first lets an identity (or a container-scoped SAS) that may use the container but not create one
        // start against a container created beforehand.
        if (!(await container.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            await container.CreateIfNotExistsAsync(PublicAccessType.None, metadata: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task<IEnumerable<EventProcessorPartitionOwnership>> ListOwnershipAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken)
    {
        string prefix = BlobCheckpointLayout.OwnershipPrefix(fullyQualifiedNamespace, eventHubName, consumerGroup);
        var result = new List<EventProcessorPartitionOwnership>();
        try
        {
            var options = new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = prefix };
            await foreach (BlobItem blob in _container.GetBlobsAsync(options, cancellationToken).ConfigureAwait(false))
            {
                // An ownership blob without an owner id is unowned, as one relinquished with an empty id is; the
                // SDK's store hands the processor a null there, which it cannot use.
                blob.Metadata.TryGetValue(BlobCheckpointLayout.OwnerIdKey, out string? owner);
                result.Add(new EventProcessorPartitionOwnership
                {
                    FullyQualifiedNamespace = fullyQualifiedNamespace,
                    EventHubName = eventHubName,
                    ConsumerGroup = consumerGroup,
                    PartitionId = blob.Name[prefix.Length..],
                    OwnerIdentifier = owner ?? string.Empty,
                    LastModifiedTime = blob.Properties.LastModified ?? default,
                    Version = BlobETags.ToVersion(blob.Properties.ETag),
                });
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw ContainerNotFound(ex);
        }

        return result;
    }

    /// <inheritdoc />
    public override async Task<IEnumerable<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(
        IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desiredOwnership);
        var claimed = new List<EventProcessorPartitionOwnership>();
        foreach (EventProcessorPartitionOwnership desired in desiredOwnership)
        {
            if (await TryClaimAsync(desired, cancellationToken).ConfigureAwait(false) is { } ownership)
            {
                claimed.Add(ownership);
            }
        }

        return claimed;
    }

    /// <inheritdoc />
    public override async Task<EventProcessorCheckpoint?> GetCheckpointAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken)
    {
        string name = BlobCheckpointLayout.CheckpointBlobName(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId);
        BlobProperties properties;
        try
        {
            properties = (await _container.GetBlobClient(name).GetPropertiesAsync(conditions: null, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw ContainerNotFound(ex);
        }

        BlobCheckpointReading reading = BlobCheckpointMetadata.Read(properties.Metadata);
        if (reading.IsCorrupt)
        {
            ReportCorrupt(name, partitionId, reading.Problem!);
        }
        else if (reading.Position is null)
        {
            // Cleared on purpose (both values empty): no checkpoint, as the SDK reads it.
            return null;
        }

        return new EventProcessorCheckpoint
        {
            FullyQualifiedNamespace = fullyQualifiedNamespace,
            EventHubName = eventHubName,
            ConsumerGroup = consumerGroup,
            PartitionId = partitionId,
            StartingPosition = reading.Position ?? EventPosition.Earliest,
            ClientIdentifier = reading.ClientIdentifier,
            LastModified = properties.LastModified,
        };
    }

    /// <inheritdoc />
    public override Task UpdateCheckpointAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId,
        string clientIdentifier, CheckpointPosition startingPosition, CancellationToken cancellationToken) =>
        WriteCheckpointAsync(
            BlobCheckpointLayout.CheckpointBlobName(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId),
            BlobCheckpointMetadata.Create(startingPosition.OffsetString, startingPosition.SequenceNumber, clientIdentifier),
            cancellationToken);

    /// <inheritdoc />
    [Obsolete("The SDK's obsolete long-offset overload; the processor calls the CheckpointPosition one.")]
    public override Task UpdateCheckpointAsync(
        string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId,
        long offset, long? sequenceNumber, CancellationToken cancellationToken) =>
        WriteCheckpointAsync(
            BlobCheckpointLayout.CheckpointBlobName(fullyQualifiedNamespace, eventHubName, consumerGroup, partitionId),
            BlobCheckpointMetadata.Create(offset.ToString(System.Globalization.CultureInfo.InvariantCulture), sequenceNumber, clientIdentifier: null),
            cancellationToken);

    // Unconditional: only the partition's owner checkpoints it, and the last writer is the one that read furthest.
    // Setting metadata first and creating the blob only when it is missing is the SDK's order too; it keeps a
    // soft-delete or versioning account from collecting a blob version per checkpoint.
    private async Task WriteCheckpointAsync(string name, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        BlobClient blob = _container.GetBlobClient(name);
        try
        {
            try
            {
                await blob.SetMetadataAsync(metadata, conditions: null, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
            {
                await BlobETags.UploadEmptyAsync(blob, metadata, conditions: null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw ContainerNotFound(ex);
        }
    }

    private async Task<EventProcessorPartitionOwnership?> TryClaimAsync(EventProcessorPartitionOwnership desired, CancellationToken cancellationToken)
    {
        string name = BlobCheckpointLayout.OwnershipBlobName(desired.FullyQualifiedNamespace, desired.EventHubName, desired.ConsumerGroup, desired.PartitionId);
        BlobClient blob = _container.GetBlobClient(name);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BlobCheckpointLayout.OwnerIdKey] = desired.OwnerIdentifier ?? string.Empty,
        };

        try
        {
            if (desired.Version is { Length: > 0 } version)
            {
                try
                {
                    BlobInfo renewed = (await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = BlobETags.FromVersion(version) }, cancellationToken)
                        .ConfigureAwait(false)).Value;
                    return Claimed(desired, renewed.ETag, renewed.LastModified);
                }
                catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
                {
                    // Deleted under a running processor (someone cleaned the container): claim it as new below.
                }
            }

            BlobContentInfo created = await BlobETags.UploadEmptyAsync(blob, metadata, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken)
                .ConfigureAwait(false);
            return Claimed(desired, created.ETag, created.LastModified);
        }
        catch (RequestFailedException ex) when (BlobETags.IsLostRace(ex))
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            throw ContainerNotFound(ex);
        }
    }

    private static EventProcessorPartitionOwnership Claimed(EventProcessorPartitionOwnership desired, ETag etag, DateTimeOffset lastModified) => new()
    {
        FullyQualifiedNamespace = desired.FullyQualifiedNamespace,
        EventHubName = desired.EventHubName,
        ConsumerGroup = desired.ConsumerGroup,
        PartitionId = desired.PartitionId,
        OwnerIdentifier = desired.OwnerIdentifier,
        LastModifiedTime = lastModified,
        Version = BlobETags.ToVersion(etag),
    };

    private void ReportCorrupt(string blobName, string partitionId, string reason)
    {
        Interlocked.Increment(ref _corruptCheckpoints);
        CorruptCheckpointFound?.Invoke(this, new CorruptCheckpointEventArgs(_container.Name, blobName, partitionId, reason));
    }

    private CheckpointContainerNotFoundException ContainerNotFound(RequestFailedException ex) =>
        new(_container.AccountName, _container.Name, ex);
}
