using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Persist: sends the oldest <c>outbox</c> records to the sink in batches, in production order, and
/// removes them only after the sink confirmed the write. A transient failure keeps the batch and
/// retries it with exponential backoff and jitter, for as long as it takes; a rejected batch is split
/// so that only the records the server refuses go to dead letters.
/// </summary>
public sealed partial class PersistStage : BackgroundService
{
    private readonly MedTechStore _store;
    private readonly IResourceSink _sink;
    private readonly PipelineSignals _signals;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<PersistStage> _logger;
    private long _persistedCount;

    /// <summary>Creates the stage.</summary>
    public PersistStage(MedTechStore store, IResourceSink sink, PipelineSignals signals, PipelineOptions options, TimeProvider clock, ILogger<PersistStage> logger)
    {
        _store = store;
        _sink = sink;
        _signals = signals;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Resources written to the sink since start.</summary>
    public long PersistedCount => Interlocked.Read(ref _persistedCount);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using SqliteConnection connection = _store.OpenConnection();
        int lanes = Math.Max(1, _options.PersistConcurrency);
        var read = new List<OutboxRecord>(_options.PersistBatchSize * lanes);
        var byLane = new List<OutboxRecord>[lanes];
        var deliveries = new Task<bool>[lanes];
        for (int l = 0; l < lanes; l++)
        {
            byLane[l] = [];
        }

        var laneOfDevice = new Dictionary<string, int>(StringComparer.Ordinal);
        var perDevice = new Dictionary<string, int>(StringComparer.Ordinal);
        TimeSpan delay = _options.FirstRetryDelay;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                read.Clear();
                OutboxTable.ReadOldest(connection, _options.PersistBatchSize * lanes, read);
                if (read.Count == 0)
                {
                    await _signals.Outbox.WaitAsync(_options.IdlePoll, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                AssignLanes(read, byLane, laneOfDevice, perDevice);

                for (int l = 0; l < lanes; l++)
                {
                    deliveries[l] = byLane[l].Count == 0 ? Task.FromResult(true) : DeliverLaneAsync(connection, byLane[l], delay, stoppingToken);
                }

                await Task.WhenAll(deliveries).ConfigureAwait(false);
                bool allDelivered = true;
                foreach (Task<bool> delivery in deliveries)
                {
                    allDelivered &= delivery.Result;
                }

                if (allDelivered)
                {
                    delay = _options.FirstRetryDelay;
                    continue;
                }

                // What a failed lane did not deliver is still the oldest in the outbox, and is read first next time.
                await Task.Delay(Jitter(delay), _clock, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Splits a read into lanes by device: each device's records go to one lane, in order, so writes stay ordered per
    /// device while several Bundles are in flight (rounds run one after another). Devices are placed on the lane with
    /// the fewest records so far, largest first, so the lanes fill evenly and a round is not held up by one long lane
    /// while the others idle (a hash of the device id left them uneven).
    /// </summary>
    private static void AssignLanes(List<OutboxRecord> read, List<OutboxRecord>[] byLane, Dictionary<string, int> laneOfDevice, Dictionary<string, int> perDevice)
    {
        int lanes = byLane.Length;
        for (int l = 0; l < lanes; l++)
        {
            byLane[l].Clear();
        }

        laneOfDevice.Clear();
        perDevice.Clear();
        foreach (OutboxRecord record in read)
        {
            perDevice[record.DeviceId] = perDevice.GetValueOrDefault(record.DeviceId) + 1;
        }

        Span<int> load = stackalloc int[lanes];
        load.Clear();
        foreach (KeyValuePair<string, int> device in perDevice.OrderByDescending(d => d.Value))
        {
            int lightest = 0;
            for (int l = 1; l < lanes; l++)
            {
                if (load[l] < load[lightest])
                {
                    lightest = l;
                }
            }

            laneOfDevice[device.Key] = lightest;
            load[lightest] += device.Value;
        }

        foreach (OutboxRecord record in read)
        {
            byLane[laneOfDevice[record.DeviceId]].Add(record);
        }
    }

    /// <summary>Sends one lane in Bundles of <see cref="PipelineOptions.PersistBatchSize"/>; false at the first transient failure.</summary>
    private async Task<bool> DeliverLaneAsync(SqliteConnection connection, List<OutboxRecord> lane, TimeSpan delay, CancellationToken cancellationToken)
    {
        for (int start = 0; start < lane.Count; start += _options.PersistBatchSize)
        {
            List<OutboxRecord> chunk = lane.GetRange(start, Math.Min(_options.PersistBatchSize, lane.Count - start));
            SinkResult result = await _sink.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case SinkOutcome.Succeeded:
                    await RemoveAsync(connection, chunk, 0, chunk.Count, deadLetterError: null).ConfigureAwait(false);
                    break;
                case SinkOutcome.Rejected:
                    await IsolateRejectedAsync(connection, chunk, result.Error, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    LogTransient(_sink.Name, lane.Count - start, delay.TotalSeconds, result.Error);
                    return false;
            }
        }

        return true;
    }

    private async Task IsolateRejectedAsync(SqliteConnection connection, List<OutboxRecord> batch, string? error, CancellationToken cancellationToken)
    {
        if (batch.Count == 1)
        {
            await RemoveAsync(connection, batch, 0, 1, error ?? "Rejected by the sink.").ConfigureAwait(false);
            LogRejected(_sink.Name);
            return;
        }

        // A transaction Bundle is all-or-nothing, so the server does not say which entry it refused:
        // send the records one by one (in order) to deliver the good ones and dead-letter only the bad.
        for (int i = 0; i < batch.Count; i++)
        {
            SinkResult single;
            TimeSpan delay = _options.FirstRetryDelay;
            while ((single = await _sink.WriteAsync([batch[i]], cancellationToken).ConfigureAwait(false)).Outcome == SinkOutcome.Transient)
            {
                await Task.Delay(Jitter(delay), _clock, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }

            await RemoveAsync(connection, batch, i, 1, single.Outcome == SinkOutcome.Rejected ? single.Error ?? "Rejected by the sink." : null).ConfigureAwait(false);
            if (single.Outcome == SinkOutcome.Rejected)
            {
                LogRejected(_sink.Name);
            }
        }
    }

    private async Task RemoveAsync(SqliteConnection connection, List<OutboxRecord> batch, int start, int count, string? deadLetterError)
    {
        DateTime now = _clock.GetUtcNow().UtcDateTime;
        // Not cancellable: the sink already has these records; removing them must not be skipped at shutdown.
        await _store.WriteLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            Remove(connection, batch, start, count, deadLetterError, now);
        }
        finally
        {
            _store.WriteLock.Release();
        }
    }

    private void Remove(SqliteConnection connection, List<OutboxRecord> batch, int start, int count, string? deadLetterError, DateTime now)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        for (int i = start; i < start + count; i++)
        {
            OutboxRecord record = batch[i];
            if (deadLetterError is not null)
            {
                DeadLetterTable.Insert(connection, transaction, new DeadLetter
                {
                    CreatedUtc = now,
                    Stage = "persist",
                    ErrorKind = "FhirRejected",
                    Error = deadLetterError,
                    Message = new InboxMessage { Source = "outbox", DeviceId = record.DeviceId, Topic = record.ResourceType + "/" + record.ResourceId, Body = record.Body },
                });
            }

            OutboxTable.Delete(connection, transaction, record.Id);
        }

        transaction.Commit();
        if (deadLetterError is null)
        {
            Interlocked.Add(ref _persistedCount, count);
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) =>
        // Full range ±25 %: many gateways coming back after one outage must not retry in step.
        TimeSpan.FromTicks((long)(delay.Ticks * (0.75 + (Random.Shared.NextDouble() * 0.5))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persist: sink {Sink} is unavailable; {Count} resource(s) kept, retrying in {Seconds:0.0} s. {Reason}")]
    private partial void LogTransient(string sink, int count, double seconds, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persist: sink {Sink} rejected a resource; it was moved to dead letters.")]
    private partial void LogRejected(string sink);
}
