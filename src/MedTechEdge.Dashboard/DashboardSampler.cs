using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Dashboard;

/// <summary>
/// Reads the stages' counters and the store's backlog every <see cref="Tick"/> into one immutable
/// <see cref="DashboardSnapshot"/>, and closes a throughput bucket every <see cref="BucketSeconds"/> seconds into a ring
/// of <see cref="BucketCount"/>. On the same tick the devices are copied from the measurement tap and each is judged
/// live or silent by the same <see cref="TimeProvider"/>. The page's requests only read the latest snapshot, so the
/// store is counted once a tick however many browsers watch, and a viewer cannot load the store by polling faster.
/// </summary>
internal sealed partial class DashboardSampler
{
    public const int BucketSeconds = 10;

    /// <summary>Five minutes of history.</summary>
    public const int BucketCount = 30;

    /// <summary>Dead letters the page lists, newest first.</summary>
    public const int RecentDeadLetters = 20;

    /// <summary>Longest error text kept per dead letter: the page lists reasons, the console shows the whole letter.</summary>
    private const int MaxErrorLength = 300;

    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    private readonly MedTechStore _store;
    private readonly InboxWriter _inbox;
    private readonly MapStage _map;
    private readonly PersistStage _persist;
    private readonly IResourceSink _sink;
    private readonly PipelineMetrics _metrics;
    private readonly DashboardSources _sources;
    private readonly DeviceSampler _devices;
    private readonly TimeProvider _clock;
    private readonly ILogger<DashboardSampler> _logger;
    private readonly ThroughputBucket[] _ring = new ThroughputBucket[BucketCount];
    private int _ringNext;
    private int _ringCount;
    private StageCounters _bucketStart;
    private DateTime _bucketStartUtc;
    private (long MaxId, long Count) _deadLetterMark = (-1, -1);
    private DeadLetterSummary[] _deadLetters = [];
    private bool _storeFailing;
    private DashboardSnapshot _latest;

    public DashboardSampler(MedTechStore store, InboxWriter inbox, MapStage map, PersistStage persist, IResourceSink sink, PipelineMetrics metrics, DashboardSources sources, MeasurementTap tap, DashboardOptions options, TimeProvider clock, ILogger<DashboardSampler> logger)
    {
        _store = store;
        _inbox = inbox;
        _map = map;
        _persist = persist;
        _sink = sink;
        _metrics = metrics;
        _sources = sources;
        _devices = new DeviceSampler(tap, clock, options);
        _clock = clock;
        _logger = logger;
        _bucketStartUtc = clock.GetUtcNow().UtcDateTime;
        _bucketStart = Counters();
        _latest = new DashboardSnapshot(_bucketStartUtc, _bucketStart, null, "Starting.", [], new ThroughputBucket(_bucketStartUtc, default, 0), [], Sink(_bucketStartUtc)) { EventHub = _sources.EventHubIngress() };
    }

    /// <summary>The latest sample; never null (before the first tick: counters only).</summary>
    public DashboardSnapshot Latest => Volatile.Read(ref _latest);

    /// <summary>Samples now and then every <see cref="Tick"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using SqliteConnection connection = _store.OpenConnection();
        using var timer = new PeriodicTimer(Tick, _clock);
        try
        {
            do
            {
                Sample(connection);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One tick: counters, a closed bucket when one is due, the store's backlog, the newest dead letters and the devices.</summary>
    internal void Sample(SqliteConnection connection)
    {
        DateTime now = _clock.GetUtcNow().UtcDateTime;
        StageCounters totals = Counters();
        if (now - _bucketStartUtc >= TimeSpan.FromSeconds(BucketSeconds))
        {
            _ring[_ringNext] = new ThroughputBucket(now, totals - _bucketStart, (now - _bucketStartUtc).TotalSeconds);
            _ringNext = (_ringNext + 1) % BucketCount;
            _ringCount = Math.Min(_ringCount + 1, BucketCount);
            _bucketStart = totals;
            _bucketStartUtc = now;
        }

        BacklogSample? backlog = null;
        string? storeError = null;
        try
        {
            backlog = ReadBacklog(connection, now);
            ReadDeadLetters(connection);
            _storeFailing = false;
        }
        catch (SqliteException ex)
        {
            // The page says the store cannot be read; the log says it once per episode, not every tick.
            storeError = "The store cannot be read: " + ex.Message;
            if (!_storeFailing)
            {
                _storeFailing = true;
                LogStoreUnreadable(ex.SqliteErrorCode, ex.Message);
            }
        }

        SinkSample sink = Sink(now);
        // The devices last: the page masks the patient ids they carry in the sink's reason, so every patient the reason
        // can name must be among them.
        DeviceView[] devices = _devices.Sample();
        var snapshot = new DashboardSnapshot(now, totals, backlog, storeError, Buckets(), new ThroughputBucket(now, totals - _bucketStart, (now - _bucketStartUtc).TotalSeconds), _deadLetters, sink) { EventHub = _sources.EventHubIngress(), Devices = devices };
        Volatile.Write(ref _latest, snapshot);
    }

    private StageCounters Counters() =>
        // Ingested counts every ingress (MQTT listener, connect mode, edgeHub routes): the inbox's committed rows.
        new(_inbox.CommittedCount, _map.MappedCount, _persist.PersistedCount, _map.DeadLetteredCount, _map.UnmatchedCount);

    private ThroughputBucket[] Buckets()
    {
        var buckets = new ThroughputBucket[_ringCount];
        int start = (_ringNext - _ringCount + BucketCount) % BucketCount;
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = _ring[(start + i) % BucketCount];
        }

        return buckets;
    }

    private static BacklogSample ReadBacklog(SqliteConnection connection, DateTime now)
    {
        // The same figures as the metrics endpoint: the oldest undelivered row is the inbox's (by receipt) or the
        // outbox's (by mapping), whichever is older.
        StoreBacklog backlog = StoreGauges.Read(connection);
        DateTime? oldest = backlog.OldestInboxUtc is { } inbox && (backlog.OldestOutboxUtc is not { } outbox || inbox <= outbox)
            ? inbox
            : backlog.OldestOutboxUtc;
        return new BacklogSample(
            backlog.Inbox,
            backlog.Outbox,
            backlog.OpenWindows,
            backlog.DeadLetters,
            oldest is null ? null : Math.Max(0, (now - oldest.Value).TotalSeconds));
    }

    private void ReadDeadLetters(SqliteConnection connection)
    {
        (long MaxId, long Count) mark = (DeadLetterTable.MaxId(connection), DeadLetterTable.Count(connection));
        if (mark == _deadLetterMark)
        {
            return;
        }

        // Ids only grow, so the newest letters are above MaxId - N (fewer when some were requeued: the list is short then).
        var letters = new List<DeadLetter>(RecentDeadLetters);
        DeadLetterTable.ListAfter(connection, Math.Max(0, mark.MaxId - RecentDeadLetters), RecentDeadLetters, letters);
        var summaries = new DeadLetterSummary[letters.Count];
        for (int i = 0; i < letters.Count; i++)
        {
            // Newest first; the body stays in the store: the page shows why, not what.
            DeadLetter letter = letters[letters.Count - 1 - i];
            string error = letter.Error.Length <= MaxErrorLength ? letter.Error : string.Concat(letter.Error.AsSpan(0, MaxErrorLength), "…");
            summaries[i] = new DeadLetterSummary(letter.Id, letter.CreatedUtc, letter.StageName, letter.KindName, error, letter.Message.DeviceId);
        }

        _deadLetters = summaries;
        _deadLetterMark = mark;
    }

    private SinkSample Sink(DateTime now)
    {
        // The Persist stage's state (retrying, then failing after a minute of transient failures), made failing at once
        // when the sink says its configuration is refused or the edgeHub connection it writes through is down.
        string? configurationError = (_sink as EventHubSink)?.ConfigurationError;
        SinkState state = configurationError is not null || _sources.UpstreamConnected() == false ? SinkState.Failing : _metrics.GetSinkState(now);
        return new SinkSample(_sink.Name, state, _metrics.SinkRetries, _persist.LastRetryReason, configurationError);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard: the store cannot be read (SQLite error {Code}): {Reason}. The page shows counters only until it can.")]
    private partial void LogStoreUnreadable(int code, string reason);
}

/// <summary>Cumulative counters of the stages since start.</summary>
internal readonly record struct StageCounters(long Ingested, long Mapped, long Persisted, long DeadLettered, long Unmatched)
{
    public static StageCounters operator -(StageCounters a, StageCounters b) =>
        new(a.Ingested - b.Ingested, a.Mapped - b.Mapped, a.Persisted - b.Persisted, a.DeadLettered - b.DeadLettered, a.Unmatched - b.Unmatched);
}

/// <summary>What the stages did in one bucket ending at <paramref name="EndUtc"/>, <paramref name="Seconds"/> long.</summary>
internal readonly record struct ThroughputBucket(DateTime EndUtc, StageCounters Counts, double Seconds);

/// <summary>The store's tables; <paramref name="OldestUndeliveredSeconds"/> is null when nothing waits.</summary>
internal sealed record BacklogSample(long Inbox, long Outbox, long OpenWindows, long DeadLetters, double? OldestUndeliveredSeconds);

/// <summary>A dead letter as the page lists it: no body, the error cut short.</summary>
internal sealed record DeadLetterSummary(long Id, DateTime CreatedUtc, string Stage, string Kind, string Error, string? DeviceId);

/// <summary>The sink as the page shows it; <paramref name="RetryCount"/> counts transient failures since start.</summary>
internal sealed record SinkSample(string Name, SinkState State, long RetryCount, string? LastRetryReason, string? ConfigurationError);

/// <summary>One tick's view of the module.</summary>
internal sealed record DashboardSnapshot(
    DateTime TimeUtc,
    StageCounters Totals,
    BacklogSample? Backlog,
    string? StoreError,
    ThroughputBucket[] Buckets,
    ThroughputBucket Current,
    DeadLetterSummary[] DeadLetters,
    SinkSample Sink)
{
    /// <summary>The Event Hubs ingress when it runs: its counters are live atomics, read when the status is written.</summary>
    public EventHubIngressView? EventHub { get; init; }

    /// <summary>The devices at <see cref="TimeUtc"/>, most recently seen first; empty before the first tick.</summary>
    public DeviceView[] Devices { get; init; } = [];
}
