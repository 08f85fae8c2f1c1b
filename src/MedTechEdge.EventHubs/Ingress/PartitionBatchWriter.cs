using System.Globalization;
using MedTechEdge.Storage;
using Microsoft.Extensions.Logging;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Ingress;

/// <summary>
/// Stores one partition's batch durably before anything is checkpointed: each event becomes an inbox row through the
/// group commit (<see cref="InboxWriter.Enqueue"/>), or a dead letter when its body is over <c>MaxEventBytes</c>, and
/// the answer is the last event of the stored prefix, the only position a checkpoint may name.
/// </summary>
/// <remarks>
/// When the store refuses a commit (<see cref="StoreFullException"/> at its size cap, or a SQLite error) the batch is
/// held: the events not stored are tried again, in order, after a pause that doubles up to a bound, on the injected
/// clock. Holding the handler is the backpressure the SDK understands: a partition's pump does not read past its
/// prefetch while its handler has not returned, so nothing more is taken from the hub, and nothing spins. The stored
/// prefix is checkpointed before each pause, so a crash while held replays only what was never stored.
/// </remarks>
internal sealed partial class PartitionBatchWriter(
    InboxWriter inbox,
    IngressDeadLetters deadLetters,
    EventHubIngressSettings settings,
    EventHubIngressMetrics metrics,
    TimeProvider clock,
    ILogger logger)
{
    /// <summary>
    /// Stores <paramref name="events"/> and returns the index of the last one of the stored prefix (-1: none), held
    /// until all are stored or <paramref name="cancellationToken"/> is cancelled (the partition was lost or the
    /// processor stops). <paramref name="checkpoint"/> is called with the stored prefix's last event before each pause.
    /// </summary>
    public async Task<int> StoreAsync(IReadOnlyList<SdkEventData> events, string partitionId, string topic, Func<SdkEventData, Task> checkpoint, CancellationToken cancellationToken)
    {
        int count = events.Count;
        var records = new InboxMessage?[count];
        var stored = new bool[count];
        List<DeadLetter>? letters = null;
        DateTime now = clock.GetUtcNow().UtcDateTime;
        PartitionIngressState state = metrics.Partition(partitionId);
        for (int i = 0; i < count; i++)
        {
            SdkEventData e = events[i];
            int bytes = e.EventBody.ToMemory().Length;
            if (bytes > settings.MaxEventBytes)
            {
                (letters ??= []).Add(TooLarge(e, topic, now, bytes));
                stored[i] = true;
            }
            else
            {
                records[i] = EventEnvelope.ToInboxMessage(e, topic, now, settings.BindToConnectionDeviceId);
            }
        }

        TimeSpan pause = settings.FirstRetryPause;
        if (letters is not null)
        {
            while (!await TryWriteDeadLettersAsync(letters, partitionId, cancellationToken).ConfigureAwait(false))
            {
                if (!await PauseAsync(pause, cancellationToken).ConfigureAwait(false))
                {
                    return -1;
                }

                pause = Grow(pause);
            }

            for (int i = 0; i < letters.Count; i++)
            {
                state.OnDeadLetter();
            }
        }

        var commits = new InboxCommit?[count];
        int prefix = -1;
        int checkpointed = -1;
        bool held = false;
        while (true)
        {
            if (!TryEnqueue(records, stored, commits))
            {
                // The inbox writer is stopping (the module shuts down): what was not queued is read again after the
                // restart, from the checkpoint.
                return Prefix(stored, prefix);
            }

            Exception? error = await AwaitCommitsAsync(commits, stored).ConfigureAwait(false);
            prefix = Prefix(stored, prefix);
            if (prefix == count - 1)
            {
                if (held)
                {
                    LogResumed(partitionId);
                }

                return prefix;
            }

            metrics.OnHeld();
            if (!held)
            {
                held = true;
                if (error is StoreFullException full)
                {
                    LogStoreFull(partitionId, full.MaxSizeBytes);
                }
                else
                {
                    LogCommitFailed(partitionId, error?.GetType().Name ?? "unknown");
                }
            }

            if (prefix > checkpointed)
            {
                await checkpoint(events[prefix]).ConfigureAwait(false);
                checkpointed = prefix;
            }

            if (!await PauseAsync(pause, cancellationToken).ConfigureAwait(false))
            {
                return prefix;
            }

            pause = Grow(pause);
        }
    }

    /// <summary>Queues every record not stored yet, in order; false when the writer is stopping.</summary>
    private bool TryEnqueue(InboxMessage?[] records, bool[] stored, InboxCommit?[] commits)
    {
        try
        {
            for (int i = 0; i < records.Length; i++)
            {
                commits[i] = stored[i] ? null : inbox.Enqueue(records[i]!, out _);
            }

            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Waits for each distinct commit once and marks its events stored; returns a refusal, if any.</summary>
    private static async Task<Exception?> AwaitCommitsAsync(InboxCommit?[] commits, bool[] stored)
    {
        Exception? error = null;
        InboxCommit? previous = null;
        for (int i = 0; i < commits.Length; i++)
        {
            InboxCommit? commit = commits[i];
            if (commit is null)
            {
                continue;
            }

            if (!ReferenceEquals(commit, previous))
            {
                // Consecutive events share a commit; one wait per commit, and a refusal read from it, not thrown.
                await commit.AsValueTask().AsTask().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                previous = commit;
            }

            if (commit.Error is null)
            {
                stored[i] = true;
            }
            else
            {
                error ??= commit.Error;
            }
        }

        return error;
    }

    private static int Prefix(bool[] stored, int prefix)
    {
        while (prefix + 1 < stored.Length && stored[prefix + 1])
        {
            prefix++;
        }

        return prefix;
    }

    private async Task<bool> TryWriteDeadLettersAsync(List<DeadLetter> letters, string partitionId, CancellationToken cancellationToken)
    {
        try
        {
            await deadLetters.WriteAsync(letters, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            metrics.OnHeld();
            LogCommitFailed(partitionId, ex.GetType().Name);
            return false;
        }
    }

    private async Task<bool> PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private TimeSpan Grow(TimeSpan pause) => TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, settings.MaxRetryPause.Ticks));

    /// <summary>
    /// The dead letter of an event over the limit. Its body is not kept (the limit protects the store); its system
    /// properties name the partition, sequence number and offset, where it can still be read within the hub's retention.
    /// </summary>
    private DeadLetter TooLarge(SdkEventData e, string topic, DateTime now, int bytes)
    {
        InboxMessage envelope = EventEnvelope.ToInboxMessage(e, topic, now, settings.BindToConnectionDeviceId);
        return new DeadLetter
        {
            CreatedUtc = now,
            Stage = PipelineStage.Ingest,
            Kind = DeadLetterKind.EventTooLarge,
            Error = string.Create(CultureInfo.InvariantCulture, $"The event's body is {bytes} bytes, over EventHubIngress:MaxEventBytes ({settings.MaxEventBytes}); it is not kept. Sequence number {e.SequenceNumber} of {topic}."),
            Message = new InboxMessage
            {
                ReceivedUtc = envelope.ReceivedUtc,
                Source = envelope.Source,
                DeviceId = envelope.DeviceId,
                Topic = envelope.Topic,
                Binding = envelope.Binding,
                Properties = envelope.Properties,
                SystemProperties = envelope.SystemProperties,
                Body = [],
            },
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs ingress: partition {PartitionId} is held: the store is at its size cap of {MaxSizeBytes} bytes. Its events are read again into the inbox when delivery frees space; nothing is checkpointed past what is stored.")]
    private partial void LogStoreFull(string partitionId, long maxSizeBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Hubs ingress: partition {PartitionId} is held: the store refused a commit ({Error}); it is tried again with a growing pause.")]
    private partial void LogCommitFailed(string partitionId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Hubs ingress: partition {PartitionId} is stored again.")]
    private partial void LogResumed(string partitionId);
}
