using System.Globalization;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using Azure.Messaging.EventHubs.Processor;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>
/// The embedded checkpoint store: partition ownership and checkpoints in the module's own SQLite store
/// (<see cref="PartitionOwnershipTable"/>, <see cref="PartitionCheckpointTable"/>), for one instance with nothing else
/// to run. Ownership versions play the part of the blob store's ETags, so the SDK's load balancer behaves as it does
/// over blobs: a claim naming a stale version is not granted, and the claimant simply does not own that partition.
/// </summary>
/// <remarks>
/// One connection, used only under <see cref="MedTechStore.WriteLock"/>: SQLite admits one writer, and every writer of
/// this process queues on that lock (docs/architecture.md, "Writers"); the reads share it because a connection is not
/// safe across threads, and they run every load-balancing interval, not per event.
/// </remarks>
public sealed class SqliteCheckpointStore : CheckpointStore, IDisposable
{
    private readonly MedTechStore _store;
    private readonly TimeProvider _clock;
    private SqliteConnection? _connection;

    /// <summary>A checkpoint store over <paramref name="store"/>; <paramref name="clock"/> stamps claims and checkpoints.</summary>
    public SqliteCheckpointStore(MedTechStore store, TimeProvider clock)
    {
        _store = store;
        _clock = clock;
    }

    /// <inheritdoc />
    public override async Task<IEnumerable<EventProcessorPartitionOwnership>> ListOwnershipAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, CancellationToken cancellationToken)
    {
        var scope = new ConsumerGroupScope(fullyQualifiedNamespace, eventHubName, consumerGroup);
        var rows = new List<PartitionOwnership>();
        await _store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PartitionOwnershipTable.List(Connection(), scope, rows);
        }
        finally
        {
            _store.WriteLock.Release();
        }

        var result = new List<EventProcessorPartitionOwnership>(rows.Count);
        foreach (PartitionOwnership row in rows)
        {
            result.Add(ToSdk(fullyQualifiedNamespace, eventHubName, consumerGroup, row));
        }

        return result;
    }

    /// <inheritdoc />
    public override async Task<IEnumerable<EventProcessorPartitionOwnership>> ClaimOwnershipAsync(IEnumerable<EventProcessorPartitionOwnership> desiredOwnership, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desiredOwnership);
        var claimed = new List<EventProcessorPartitionOwnership>();
        DateTime now = _clock.GetUtcNow().UtcDateTime;
        await _store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteConnection connection = Connection();
            // One transaction for all: one fsync per load-balancing cycle. Each claim stands on its own version check,
            // as each blob's conditional write does; a lost race only leaves that partition out of the answer.
            using SqliteTransaction transaction = connection.BeginTransaction();
            foreach (EventProcessorPartitionOwnership desired in desiredOwnership)
            {
                var scope = new ConsumerGroupScope(desired.FullyQualifiedNamespace, desired.EventHubName, desired.ConsumerGroup);
                PartitionOwnership? row = TryParseVersion(desired.Version, out long? expected)
                    ? PartitionOwnershipTable.TryClaim(connection, transaction, scope, desired.PartitionId, desired.OwnerIdentifier ?? string.Empty, expected, now)
                    : null;
                if (row is not null)
                {
                    claimed.Add(ToSdk(desired.FullyQualifiedNamespace, desired.EventHubName, desired.ConsumerGroup, row));
                }
            }

            transaction.Commit();
        }
        finally
        {
            _store.WriteLock.Release();
        }

        return claimed;
    }

    /// <inheritdoc />
    public override async Task<EventProcessorCheckpoint> GetCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, CancellationToken cancellationToken)
    {
        var scope = new ConsumerGroupScope(fullyQualifiedNamespace, eventHubName, consumerGroup);
        PartitionCheckpoint? row;
        await _store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            row = PartitionCheckpointTable.Find(Connection(), scope, partitionId);
        }
        finally
        {
            _store.WriteLock.Release();
        }

        // The SDK reads null as "no checkpoint": the processor's DefaultStartingPosition applies (EventProcessor<T>,
        // GetCheckpointAsync).
        if (row is null || (row.SequenceNumber is null && row.Offset is null))
        {
            return null!;
        }

        return new EventProcessorCheckpoint
        {
            FullyQualifiedNamespace = fullyQualifiedNamespace,
            EventHubName = eventHubName,
            ConsumerGroup = consumerGroup,
            PartitionId = partitionId,
            ClientIdentifier = row.ClientId,
            LastModified = new DateTimeOffset(row.ModifiedUtc),
            // Resume after the checkpointed event. By sequence number when known: a per-partition counter that every
            // Event Hubs tier keeps, where offsets of geo-replicated namespaces are opaque strings.
            StartingPosition = row.SequenceNumber is long sequence
                ? EventPosition.FromSequenceNumber(sequence, isInclusive: false)
                : EventPosition.FromOffset(row.Offset!, isInclusive: false),
        };
    }

    /// <inheritdoc />
    public override Task UpdateCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, string clientIdentifier, CheckpointPosition startingPosition, CancellationToken cancellationToken) =>
        WriteCheckpointAsync(new ConsumerGroupScope(fullyQualifiedNamespace, eventHubName, consumerGroup), new PartitionCheckpoint(partitionId, startingPosition.OffsetString, startingPosition.SequenceNumber, clientIdentifier, _clock.GetUtcNow().UtcDateTime), cancellationToken);

    /// <inheritdoc />
    [Obsolete("The SDK's older form; the processor calls the one with a CheckpointPosition.")]
    public override Task UpdateCheckpointAsync(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, string partitionId, long offset, long? sequenceNumber, CancellationToken cancellationToken) =>
        WriteCheckpointAsync(new ConsumerGroupScope(fullyQualifiedNamespace, eventHubName, consumerGroup), new PartitionCheckpoint(partitionId, offset.ToString(CultureInfo.InvariantCulture), sequenceNumber, null, _clock.GetUtcNow().UtcDateTime), cancellationToken);

    /// <summary>Closes the store's connection.</summary>
    public void Dispose() => _connection?.Dispose();

    private async Task WriteCheckpointAsync(ConsumerGroupScope scope, PartitionCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await _store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SqliteConnection connection = Connection();
            using SqliteTransaction transaction = connection.BeginTransaction();
            PartitionCheckpointTable.Upsert(connection, transaction, scope, checkpoint);
            transaction.Commit();
        }
        finally
        {
            _store.WriteLock.Release();
        }
    }

    // Opened on first use, under the lock: the store may be opened before the ingress decides to run.
    private SqliteConnection Connection() => _connection ??= _store.OpenConnection();

    /// <summary>The version a claim names: null (first claim) or one this store handed out; false for anything else (another store's ETag), which can never match.</summary>
    private static bool TryParseVersion(string? version, out long? expected)
    {
        if (string.IsNullOrEmpty(version))
        {
            expected = null;
            return true;
        }

        bool ok = long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed);
        expected = parsed;
        return ok;
    }

    private static EventProcessorPartitionOwnership ToSdk(string fullyQualifiedNamespace, string eventHubName, string consumerGroup, PartitionOwnership row) => new()
    {
        FullyQualifiedNamespace = fullyQualifiedNamespace,
        EventHubName = eventHubName,
        ConsumerGroup = consumerGroup,
        PartitionId = row.PartitionId,
        OwnerIdentifier = row.OwnerId,
        LastModifiedTime = new DateTimeOffset(row.ModifiedUtc),
        Version = row.Version.ToString(CultureInfo.InvariantCulture),
    };
}
