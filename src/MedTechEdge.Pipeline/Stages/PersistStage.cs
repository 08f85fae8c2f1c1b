using System.Threading.Channels;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Persist: sends the oldest <c>outbox</c> records to the sink in batches, in production order per device, on
/// <see cref="PipelineOptions.PersistConcurrency"/> lanes that run continuously, and removes them only after the
/// sink confirmed the write. A transient failure keeps the batch and retries it with exponential backoff and jitter,
/// for as long as it takes; a rejected batch is split so that only the records the server refuses go to dead letters.
/// </summary>
public sealed partial class PersistStage : BackgroundService
{
    private readonly MedTechStore _store;
    private readonly IResourceSink _sink;
    private readonly PipelineSignals _signals;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<PersistStage> _logger;
    private readonly Dictionary<string, (int Lane, int Pending)> _devices = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _capacity = new(0, 1);
    private long _persistedCount;
    private string? _lastRetryReason;
    private int _inFlight;
    private Exception? _laneFailure;
    private readonly PipelineMetrics _metrics;

    /// <summary>Creates the stage.</summary>
    /// <param name="metrics">Where the stage counts writes, retries and latency (the metrics endpoint); null: counters read by nobody.</param>
    public PersistStage(MedTechStore store, IResourceSink sink, PipelineSignals signals, PipelineOptions options, TimeProvider clock, ILogger<PersistStage> logger, PipelineMetrics? metrics = null)
    {
        _metrics = metrics ?? new PipelineMetrics();
        _store = store;
        _sink = sink;
        _signals = signals;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Resources written to the sink since start.</summary>
    public long PersistedCount => Interlocked.Read(ref _persistedCount);

    /// <summary>Why the latest transient failure happened (the sink's words), for the dashboard; null before the first.</summary>
    public string? LastRetryReason => Volatile.Read(ref _lastRetryReason);
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        int laneCount = Math.Max(1, _options.PersistConcurrency);
        var lanes = new Lane[laneCount];
        for (int l = 0; l < laneCount; l++)
        {
            lanes[l] = new Lane();
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var workers = new Task[laneCount];
        for (int l = 0; l < laneCount; l++)
        {
            Lane lane = lanes[l];
            workers[l] = Task.Run(() => RunLaneAsync(lane, stopping), CancellationToken.None);
        }

        try
        {
            await DispatchAsync(lanes, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            // What the lanes did not deliver stays in the outbox, for the next start.
            await stopping.CancelAsync().ConfigureAwait(false);
            foreach (Lane lane in lanes)
            {
                lane.Queue.Writer.TryComplete();
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        if (_laneFailure is not null)
        {
            // A store failure in a lane ends the stage, as it would have ended a single loop: the host sees it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_laneFailure);
        }
    }

    /// <summary>
    /// Reads the outbox in production order and hands each record to a lane, keeping up to two Bundles per lane in
    /// flight, so every lane has its next Bundle ready when the current one is answered (no round waits for its
    /// slowest lane). A device's records all go to the lane that already has some of them in flight, so they reach
    /// the sink in order; a device with none in flight goes to the lane with the least work.
    /// </summary>
    private async Task DispatchAsync(Lane[] lanes, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = _store.OpenConnection();
        int limit = lanes.Length * _options.PersistBatchSize * 2;
        var read = new List<OutboxRecord>(limit);
        long lastRead = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            int inFlight = Volatile.Read(ref _inFlight);
            if (inFlight >= limit)
            {
                await _capacity.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (inFlight == 0)
            {
                // Nothing dispatched is left in the table, so it may be empty, and then SQLite starts ids again low.
                lastRead = 0;
            }

            read.Clear();
            OutboxTable.ReadAfter(connection, lastRead, limit - inFlight, read);
            if (read.Count == 0)
            {
                await _signals.Outbox.WaitAsync(_options.IdlePoll, cancellationToken).ConfigureAwait(false);
                continue;
            }

            lock (_devices)
            {
                foreach (OutboxRecord record in read)
                {
                    if (!_devices.TryGetValue(record.DeviceId, out (int Lane, int Pending) device))
                    {
                        device = (Lightest(lanes), 0);
                    }

                    _devices[record.DeviceId] = (device.Lane, device.Pending + 1);
                    Interlocked.Increment(ref lanes[device.Lane].Pending);
                    Interlocked.Increment(ref _inFlight);
                    lanes[device.Lane].Queue.Writer.TryWrite(record);
                }
            }

            lastRead = read[^1].Id;
        }
    }

    private static int Lightest(Lane[] lanes)
    {
        int lightest = 0;
        for (int l = 1; l < lanes.Length; l++)
        {
            if (Volatile.Read(ref lanes[l].Pending) < Volatile.Read(ref lanes[lightest].Pending))
            {
                lightest = l;
            }
        }

        return lightest;
    }

    /// <summary>
    /// One lane: sends what it was given in Bundles of <see cref="PipelineOptions.PersistBatchSize"/>, in order. A
    /// transient failure retries the same Bundle with exponential backoff and jitter, for as long as it takes,
    /// while the other lanes go on; a rejected Bundle is split so only the refused records become dead letters.
    /// </summary>
    private async Task RunLaneAsync(Lane lane, CancellationTokenSource stopping)
    {
        CancellationToken cancellationToken = stopping.Token;
        using SqliteConnection connection = _store.OpenConnection();
        var chunk = new List<OutboxRecord>(_options.PersistBatchSize);
        ChannelReader<OutboxRecord> reader = lane.Queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                chunk.Clear();
                while (chunk.Count < _options.PersistBatchSize && reader.TryRead(out OutboxRecord? record))
                {
                    chunk.Add(record);
                }

                await DeliverAsync(connection, chunk, cancellationToken).ConfigureAwait(false);
                Done(lane, chunk);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _laneFailure = ex;
            await stopping.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(SqliteConnection connection, List<OutboxRecord> chunk, CancellationToken cancellationToken)
    {
        SinkResult result = await WriteUntilAnsweredAsync(chunk, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == SinkOutcome.Succeeded)
        {
            await RemoveAsync(connection, chunk, 0, chunk.Count, deadLetterError: null).ConfigureAwait(false);
        }
        else
        {
            await IsolateRejectedAsync(connection, chunk, result.Error, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes <paramref name="records"/> until the sink gives an answer that is not transient (accepted or refused):
    /// a transient failure waits with exponential backoff and jitter, for as long as it takes, and nothing is lost.
    /// </summary>
    private async Task<SinkResult> WriteUntilAnsweredAsync(IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.FirstRetryDelay;
        while (true)
        {
            SinkResult result = await _sink.WriteAsync(records, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != SinkOutcome.Transient)
            {
                _metrics.SinkAnswered(records, result, _clock.GetUtcNow().UtcDateTime);
                return result;
            }

            _metrics.SinkTransient(_clock.GetUtcNow().UtcDateTime);
            Volatile.Write(ref _lastRetryReason, result.Error);
            LogTransient(_sink.Name, records.Count, delay.TotalSeconds, result.Error);
            await Task.Delay(Jitter(delay), _clock, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Releases a delivered chunk: its devices may move to another lane once none of theirs is in flight.</summary>
    private void Done(Lane lane, List<OutboxRecord> chunk)
    {
        lock (_devices)
        {
            foreach (OutboxRecord record in chunk)
            {
                (int Lane, int Pending) device = _devices[record.DeviceId];
                if (device.Pending == 1)
                {
                    _devices.Remove(record.DeviceId);
                }
                else
                {
                    _devices[record.DeviceId] = (device.Lane, device.Pending - 1);
                }
            }
        }

        Interlocked.Add(ref lane.Pending, -chunk.Count);
        Interlocked.Add(ref _inFlight, -chunk.Count);
        if (_capacity.CurrentCount == 0)
        {
            try
            {
                _capacity.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another lane released it first: the dispatcher is already awake.
            }
        }
    }

    /// <summary>A lane's queue and how many records it holds or is sending.</summary>
    private sealed class Lane
    {
        public readonly Channel<OutboxRecord> Queue = Channel.CreateUnbounded<OutboxRecord>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        public int Pending;
    }

    private async Task IsolateRejectedAsync(SqliteConnection connection, List<OutboxRecord> batch, string? error, CancellationToken cancellationToken)
    {
        if (batch.Count == 1)
        {
            await RemoveAsync(connection, batch, 0, 1, error ?? "Rejected by the sink.").ConfigureAwait(false);
            LogRejected(_sink.Name, batch[0].ResourceType, batch[0].Source?.CorrelationId);
            return;
        }

        // A transaction Bundle is all-or-nothing, so the server does not say which entry it refused:
        // send the records one by one (in order) to deliver the good ones and dead-letter only the bad.
        for (int i = 0; i < batch.Count; i++)
        {
            SinkResult single = await WriteUntilAnsweredAsync([batch[i]], cancellationToken).ConfigureAwait(false);

            await RemoveAsync(connection, batch, i, 1, single.Outcome == SinkOutcome.Rejected ? single.Error ?? "Rejected by the sink." : null).ConfigureAwait(false);
            if (single.Outcome == SinkOutcome.Rejected)
            {
                LogRejected(_sink.Name, batch[i].ResourceType, batch[i].Source?.CorrelationId);
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
                // The device message the resource came from, when there is one: fix the mapping, requeue, and it is
                // mapped again. Otherwise (a SampledData window) the resource itself, requeued as it is.
                DeadLetterTable.Insert(connection, transaction, new DeadLetter
                {
                    CreatedUtc = now,
                    Stage = PipelineStage.Persist,
                    Kind = DeadLetterKind.FhirRejected,
                    Error = $"{record.ResourceType}/{record.ResourceId}: {deadLetterError}",
                    Message = record.Source ?? OutboxResourceLetter.ToMessage(record),
                });
            }

            OutboxTable.Delete(connection, transaction, record);
        }

        transaction.Commit();
        LogRemoved(batch, start, count, deadLetterError);
        if (deadLetterError is null)
        {
            Interlocked.Add(ref _persistedCount, count);
        }
        else
        {
            _metrics.DeadLettered(PipelineStage.Persist, DeadLetterKind.FhirRejected, count);
        }
    }

    private static TimeSpan Jitter(TimeSpan delay) =>
        // Full range ±25 %: many gateways coming back after one outage must not retry in step.
        TimeSpan.FromTicks((long)(delay.Ticks * (0.75 + (Random.Shared.NextDouble() * 0.5))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persist: sink {Sink} is unavailable; {Count} resource(s) kept, retrying in {Seconds:0.0} s. {Reason}")]
    private partial void LogTransient(string sink, int count, double seconds, string? reason);

    /// <summary>Debug, per record: written, or why it was refused; with the correlation id of the message it came from.</summary>
    private void LogRemoved(List<OutboxRecord> batch, int start, int count, string? deadLetterError)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        for (int i = start; i < start + count; i++)
        {
            OutboxRecord record = batch[i];
            if (deadLetterError is null)
            {
                LogWritten(record.Source?.CorrelationId, record.ResourceType, record.ResourceId, _sink.Name);
            }
            else
            {
                LogRejectedReason(record.Source?.CorrelationId, record.ResourceType, record.ResourceId, deadLetterError);
            }
        }
    }

    // Without the sink's reason: a server's diagnostics can quote the resource; the reason goes to Debug and the dead letter.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Persist: sink {Sink} rejected a {ResourceType} of message {CorrelationId}; it was moved to dead letters.")]
    private partial void LogRejected(string sink, string resourceType, string? correlationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Persist: {ResourceType}/{ResourceId} of message {CorrelationId} was refused: {Reason}")]
    private partial void LogRejectedReason(string? correlationId, string resourceType, string resourceId, string reason);

    // A SampledData window, or a Patient or Device written ahead, has no single message: its correlation id is null.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Persist: {ResourceType}/{ResourceId} of message {CorrelationId} written to {Sink}.")]
    private partial void LogWritten(string? correlationId, string resourceType, string resourceId, string sink);
}
