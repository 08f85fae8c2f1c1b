using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>One chunk of a lane, from the first write to the last record written or dead-lettered.</summary>
public sealed partial class PersistStage
{
    /// <summary>
    /// Writes <paramref name="chunk"/> until every record is written or a dead letter. After each answer the written
    /// records and the new dead letters leave the outbox in one transaction; the rest is written again, in order:
    /// at once when only records skipped behind another are left, after a backoff with jitter otherwise. An exception
    /// says nothing about which record caused it, so after one the chunk goes on one record at a time, and only the
    /// record that keeps failing uses up its <see cref="MaxUnexpectedAttempts"/>.
    /// </summary>
    private async Task DeliverAsync(SqliteConnection connection, List<OutboxRecord> chunk, CancellationToken cancellationToken)
    {
        List<OutboxRecord> pending = [.. chunk];
        var retry = new List<OutboxRecord>(chunk.Count);
        var letters = new List<(OutboxRecord Record, DeadLetterKind Kind, string Error)>();
        var remaps = new List<OutboxRecord>();
        Dictionary<OutboxRecord, int>? unexpected = null;
        HashSet<OutboxRecord>? repaired = null;
        TimeSpan delay = _options.FirstRetryDelay;
        bool oneByOne = false;
        while (pending.Count > 0)
        {
            List<OutboxRecord> sent = oneByOne && pending.Count > 1 ? pending.GetRange(0, 1) : pending;
            SinkResult result = await WriteOnceAsync(sent, cancellationToken).ConfigureAwait(false);
            retry.Clear();
            letters.Clear();
            remaps.Clear();
            string? waitReason = null;
            bool attribute = sent.Count == 1;
            foreach (SinkRecordFailure failure in result.Failed)
            {
                OutboxRecord record = failure.Record;
                SendFailureDetails details = failure.Details;
                switch (details.Kind)
                {
                    case SinkFailureKind.InvalidInput:
                        letters.Add((record, DeadLetterKind.FhirRejected, details.Message));
                        break;
                    case SinkFailureKind.ReferenceNotFound when _repair is not null && (repaired ??= new HashSet<OutboxRecord>(ReferenceEqualityComparer.Instance)).Add(record):
                        // Once per record: a refusal that survives a fresh resolution is a dead letter (issue 12 item 4).
                        ReferenceRepairOutcome repair = await _repair.RepairAsync(record, details, _sink, cancellationToken).ConfigureAwait(false);
                        LogRepair(record.ResourceType, record.ResourceId, repair.Action.ToString(), repair.Reason);
                        switch (repair.Action)
                        {
                            case ReferenceRepairAction.Retry:
                                retry.Add(record);
                                break;
                            case ReferenceRepairAction.Wait:
                                repaired.Remove(record);
                                retry.Add(record);
                                waitReason = repair.Reason;
                                break;
                            case ReferenceRepairAction.Remap:
                                remaps.Add(record);
                                break;
                            default:
                                letters.Add((record, DeadLetterKind.ReferenceNotFound, details.Message + " " + repair.Reason));
                                break;
                        }

                        break;
                    case SinkFailureKind.ReferenceNotFound:
                        letters.Add((record, DeadLetterKind.ReferenceNotFound, details.Message));
                        break;
                    case SinkFailureKind.Unexpected when !attribute:
                        oneByOne = true;
                        retry.Add(record);
                        waitReason = details.Message;
                        break;
                    case SinkFailureKind.Unexpected:
                        unexpected ??= new Dictionary<OutboxRecord, int>(ReferenceEqualityComparer.Instance);
                        int attempts = unexpected.GetValueOrDefault(record) + 1;
                        unexpected[record] = attempts;
                        if (attempts >= MaxUnexpectedAttempts)
                        {
                            letters.Add((record, DeadLetterKind.SinkError, details.Message));
                        }
                        else
                        {
                            retry.Add(record);
                            waitReason = details.Message;
                        }

                        break;
                    case SinkFailureKind.NotAttempted:
                        retry.Add(record);
                        break;
                    default:
                        retry.Add(record);
                        waitReason = details.Message;
                        break;
                }
            }

            DateTime now = _clock.GetUtcNow().UtcDateTime;
            if (result.Succeeded.Count > 0 || letters.Count > 0 || remaps.Count > 0)
            {
                _metrics.SinkAnswered(result, letters.Count > 0, now);
                await RemoveAsync(connection, result.Succeeded, letters, remaps).ConfigureAwait(false);
            }

            if (result.Succeeded.Count > 0)
            {
                // Progress: the sink is up again; the backoff starts over.
                delay = _options.FirstRetryDelay;
            }

            if (waitReason is not null)
            {
                _metrics.SinkTransient(now);
                Volatile.Write(ref _lastRetryReason, waitReason);
                LogTransient(_sink.Name, retry.Count, delay.TotalSeconds, waitReason);
                await Task.Delay(Jitter(delay), _clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }

            // What is left, in order: the records of this write to retry, then those not sent in it.
            for (int i = sent.Count; i < pending.Count; i++)
            {
                retry.Add(pending[i]);
            }

            (pending, retry) = (retry, pending);
        }
    }

    /// <summary>One write. An exception the sink did not turn into a result is <see cref="SinkFailureKind.Unexpected"/> for the whole batch.</summary>
    private async Task<SinkResult> WriteOnceAsync(List<OutboxRecord> records, CancellationToken cancellationToken)
    {
        try
        {
            return await _sink.WriteAsync(records, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return SinkResult.Failure(records, new SendFailureDetails(SinkFailureKind.Unexpected, $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    private async Task RemoveAsync(SqliteConnection connection, IReadOnlyList<OutboxRecord> written, List<(OutboxRecord Record, DeadLetterKind Kind, string Error)> letters, List<OutboxRecord> remaps)
    {
        DateTime now = _clock.GetUtcNow().UtcDateTime;
        // Not cancellable: the sink already has these records; removing them must not be skipped at shutdown.
        // The lists are this lane's and stay untouched until the write is done.
        await StageCommit.RunAsync(_store, _writer, connection, (c, t) => Remove(c, t, written, letters, remaps, now), CancellationToken.None).ConfigureAwait(false);

        Interlocked.Add(ref _persistedCount, written.Count);
        if (remaps.Count > 0)
        {
            _signals.Inbox.Set();
        }

        foreach ((OutboxRecord record, DeadLetterKind kind, string error) in letters)
        {
            _metrics.DeadLettered(PipelineStage.Persist, kind, 1);
            LogRejected(_sink.Name, record.ResourceType, DeadLetterKinds.Name(kind), record.Source?.CorrelationId);
            LogRejectedReason(record.Source?.CorrelationId, record.ResourceType, record.ResourceId, error);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            foreach (OutboxRecord record in written)
            {
                LogWritten(record.Source?.CorrelationId, record.ResourceType, record.ResourceId, _sink.Name);
            }
        }
    }

    private static void Remove(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<OutboxRecord> written, List<(OutboxRecord Record, DeadLetterKind Kind, string Error)> letters, List<OutboxRecord> remaps, DateTime now)
    {
        using var delete = new OutboxDelete(connection, transaction);
        foreach (OutboxRecord record in written)
        {
            delete.Delete(record);
        }

        foreach ((OutboxRecord record, DeadLetterKind kind, string error) in letters)
        {
            // The device message the resource came from, when there is one: fix the mapping, requeue, and it is
            // mapped again. Otherwise (a SampledData window, an identity written ahead) the resource itself with
            // its outbox columns, requeued as it is.
            DeadLetterTable.Insert(connection, transaction, new DeadLetter
            {
                CreatedUtc = now,
                Stage = PipelineStage.Persist,
                Kind = kind,
                Error = $"{record.ResourceType}/{record.ResourceId}: {error}",
                Message = record.Source ?? OutboxResourceLetter.ToMessage(record),
            });
            delete.Delete(record);
        }

        if (remaps.Count > 0)
        {
            // Back to the inbox, to be mapped with the server's identities now; the rows leave in the same transaction.
            OutboxTable.ReturnToInbox(connection, transaction, remaps);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persist: the server lacks a resource that {ResourceType}/{ResourceId} references; its identity was resolved again: {Action}. {Reason}")]
    private partial void LogRepair(string resourceType, string resourceId, string action, string reason);

    private static TimeSpan Jitter(TimeSpan delay) =>
        // Full range ±25 %: many gateways coming back after one outage must not retry in step.
        TimeSpan.FromTicks((long)(delay.Ticks * (0.75 + (Random.Shared.NextDouble() * 0.5))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persist: sink {Sink} did not take {Count} resource(s); kept, retrying in {Seconds:0.0} s. {Reason}")]
    private partial void LogTransient(string sink, int count, double seconds, string? reason);

    // Without the sink's reason: a server's diagnostics can quote the resource; the reason goes to Debug and the dead letter.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Persist: sink {Sink} did not take a {ResourceType} of message {CorrelationId} ({ErrorKind}); it was moved to dead letters.")]
    private partial void LogRejected(string sink, string resourceType, string errorKind, string? correlationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Persist: {ResourceType}/{ResourceId} of message {CorrelationId} was refused: {Reason}")]
    private partial void LogRejectedReason(string? correlationId, string resourceType, string resourceId, string reason);

    // A SampledData window, or a Patient or Device written ahead, has no single message: its correlation id is null.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Persist: {ResourceType}/{ResourceId} of message {CorrelationId} written to {Sink}.")]
    private partial void LogWritten(string? correlationId, string resourceType, string resourceId, string sink);
}
