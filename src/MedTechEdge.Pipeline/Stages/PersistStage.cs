using System.Threading.Channels;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Persist: sends the oldest <c>outbox</c> records to the sink in batches, on <see cref="PipelineOptions.PersistConcurrency"/>
/// lanes that run continuously, and removes each record once the sink wrote it or it became a dead letter. Which lane
/// writes what is <see cref="LaneRouter"/>'s decision: a device's records in order, and a resource after the identity it
/// references. The sink answers per record (<see cref="SinkResult"/>): transient failures are retried with exponential
/// backoff and jitter for as long as it takes, permanent ones become dead letters, an unexpected exception gets
/// <see cref="MaxUnexpectedAttempts"/> tries; one record never stalls its lane.
/// </summary>
public sealed partial class PersistStage : BackgroundService
{
    /// <summary>How many times a record is tried when the sink throws an exception it did not classify, before it becomes a <c>SinkError</c> dead letter.</summary>
    public const int MaxUnexpectedAttempts = 5;

    private readonly MedTechStore _store;
    private readonly IResourceSink _sink;
    private readonly PipelineSignals _signals;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<PersistStage> _logger;
    private LaneRouter _router;
    // Set when a lane finishes a chunk: capacity is free, and held-back records may be routable.
    private readonly WorkSignal _laneDone = new();
    private long _persistedCount;
    private string? _lastRetryReason;
    private int _inFlight;
    private Exception? _laneFailure;
    private readonly PipelineMetrics _metrics;
    private readonly ReferenceRepair? _repair;
    private readonly InboxWriter? _writer;

    /// <summary>Creates the stage.</summary>
    /// <param name="metrics">Where the stage counts writes, retries and latency (the metrics endpoint); null: counters read by nobody.</param>
    /// <param name="repair">Resolves the identity of a record refused for a missing reference again; null: such a record is a dead letter at once.</param>
    /// <param name="writer">The inbox's group-commit writer: the outbox deletes and dead letters after a sink's answer ride its next transaction. Null: the stage commits them on its own connection. It must outlive the stage.</param>
    public PersistStage(MedTechStore store, IResourceSink sink, PipelineSignals signals, PipelineOptions options, TimeProvider clock, ILogger<PersistStage> logger, PipelineMetrics? metrics = null, ReferenceRepair? repair = null, InboxWriter? writer = null)
    {
        _writer = writer;
        _repair = repair;
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics ?? new PipelineMetrics();
        _store = store;
        _sink = sink;
        _signals = signals;
        _options = options;
        _clock = clock;
        _logger = logger;
        _router = new LaneRouter(Math.Max(1, options.PersistConcurrency));
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
        // Fresh for each run: records a stopped run did not finish are still in the outbox and are read again.
        _router = new LaneRouter(laneCount);
        var lanes = new Lane[laneCount];
        for (int l = 0; l < laneCount; l++)
        {
            lanes[l] = new Lane(l);
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
    /// Reads the outbox in production order and hands each record to the lane <see cref="LaneRouter"/> names, keeping up
    /// to two Bundles per lane in flight (held-back records included), so every lane has its next Bundle ready when the
    /// current one is answered. The cursor is the last id read: outbox ids are AUTOINCREMENT, so every later row is above it.
    /// </summary>
    private async Task DispatchAsync(Lane[] lanes, CancellationToken cancellationToken)
    {
        using SqliteConnection connection = _store.OpenPipelineConnection();
        int limit = lanes.Length * _options.PersistBatchSize * 2;
        var read = new List<OutboxRecord>(limit);
        var released = new List<(OutboxRecord Record, int Lane)>();
        long lastRead = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            bool holding;
            lock (_router)
            {
                released.Clear();
                _router.ReleaseHeld(released);
                holding = _router.HeldCount > 0;
            }

            foreach ((OutboxRecord record, int lane) in released)
            {
                lanes[lane].Queue.Writer.TryWrite(record);
            }

            int inFlight = Volatile.Read(ref _inFlight);
            if (inFlight >= limit)
            {
                await _laneDone.WaitAsync(_options.IdlePoll, cancellationToken).ConfigureAwait(false);
                continue;
            }

            read.Clear();
            OutboxTable.ReadAfter(connection, lastRead, limit - inFlight, read);
            if (read.Count == 0)
            {
                // Held-back records wait for a lane to finish (something is in flight whenever one is held).
                await (holding ? _laneDone : _signals.Outbox).WaitAsync(_options.IdlePoll, cancellationToken).ConfigureAwait(false);
                continue;
            }

            lastRead = read[^1].Id;
            Interlocked.Add(ref _inFlight, read.Count);
            lock (_router)
            {
                foreach (OutboxRecord record in read)
                {
                    int lane = _router.Route(record);
                    if (lane >= 0)
                    {
                        lanes[lane].Queue.Writer.TryWrite(record);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One lane: sends what it was given in Bundles of <see cref="PipelineOptions.PersistBatchSize"/>, in order, each
    /// until every record of it is written or a dead letter, while the other lanes go on.
    /// </summary>
    private async Task RunLaneAsync(Lane lane, CancellationTokenSource stopping)
    {
        CancellationToken cancellationToken = stopping.Token;
        using SqliteConnection connection = _store.OpenPipelineConnection();
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

    /// <summary>Releases a finished chunk: its devices and identities may move to another lane once none of theirs is in flight.</summary>
    private void Done(Lane lane, List<OutboxRecord> chunk)
    {
        lock (_router)
        {
            foreach (OutboxRecord record in chunk)
            {
                _router.Done(record, lane.Index);
            }
        }

        Interlocked.Add(ref _inFlight, -chunk.Count);
        _laneDone.Set();
    }

    /// <summary>A lane's queue.</summary>
    private sealed class Lane(int index)
    {
        public readonly Channel<OutboxRecord> Queue = Channel.CreateUnbounded<OutboxRecord>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        public int Index => index;
    }
}
