using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Normalize, Group and Transform, as one stage over the store: takes a batch from <c>inbox</c>, has
/// <see cref="BatchMapper"/> map it, and in one transaction writes the records to <c>outbox</c> (SampledData ones into
/// their window), the failures to <c>dead_letter</c>, and removes the batch from <c>inbox</c>. A crash before the
/// commit leaves the batch in the inbox, to be mapped again; after it, in the outbox. Never in both, never in neither.
/// </summary>
public sealed partial class MapStage : BackgroundService
{
    private readonly MedTechStore _store;
    private readonly PipelineSignals _signals;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<MapStage> _logger;
    private readonly IIdentityResolver? _resolver;
    private readonly IdentityCache? _identities;
    private readonly BatchMapper _mapper;
    private readonly SampledDataWindows _windows;
    private readonly PipelineMetrics _metrics;
    private readonly MappedBatch _mapped = new();
    private readonly IdentityInvalidations? _invalidations;
    private readonly InboxWriter? _writer;
    private readonly Action<SqliteConnection, SqliteTransaction> _writeCommit;
    // How often a deferring stage looks again; short against BurstDeferral, long against a commit.
    private static readonly TimeSpan s_burstRecheck = TimeSpan.FromMilliseconds(20);
    private long _seenDeviceMessages;
    private long _seenDeviceCommits;
    // Whether this stage is holding back, and since when: a monotonic timestamp of its clock (a wall clock set back
    // must not stretch the deferral).
    private bool _deferring;
    private long _deferringSince;
    private long _commitThrough;
    private DateTime _commitNow;
    private long _mappedCount;
    private long _deadLetteredCount;
    private long _measurementCount;
    private long _unmatchedCount;
    // After a batch whose mapping threw: how many messages are still read and mapped one at a time, to find the one.
    private int _isolating;

    /// <summary>Creates the stage.</summary>
    /// <param name="identityServer">The FHIR server that Lookup modes search; required for them, unused in Create mode.</param>
    /// <param name="tap">Where the measurements that became output are recorded for the dashboard; null: nowhere.</param>
    /// <param name="metrics">Where the stage counts what it does (the metrics endpoint); null: counters read by nobody.</param>
    /// <param name="invalidations">Identity keys the Persist stage found refused by the server, to resolve again; null: none.</param>
    /// <param name="writer">
    /// The inbox's group-commit writer: each batch's writes ride its next transaction (with the inbox rows being
    /// acknowledged) instead of a transaction of the stage's own under <see cref="MedTechStore.WriteLock"/>. Null (tests,
    /// benches): the stage commits on its own connection. It must outlive the stage.
    /// </param>
    public MapStage(MedTechStore store, DeviceMapping deviceMapping, FhirMapping fhirMapping, PipelineSignals signals, PipelineOptions options, TimeProvider clock, ILogger<MapStage> logger, FhirClient? identityServer = null, MeasurementTap? tap = null, PipelineMetrics? metrics = null, IdentityInvalidations? invalidations = null, InboxWriter? writer = null)
    {
        _invalidations = invalidations;
        _writer = writer;
        // One delegate for the stage's life, reading the batch's bounds from fields: no allocation per batch.
        _writeCommit = (connection, transaction) => Write(connection, transaction, _commitThrough, _commitNow);

        _metrics = metrics ?? new PipelineMetrics();
        if (options.ResolutionType != IdentityResolutionType.Create)
        {
            _resolver = new LookupIdentityResolver(
                identityServer ?? throw new ArgumentException($"Resolution type {options.ResolutionType} needs a FHIR server to search.", nameof(identityServer)),
                options.ResolutionType,
                options.DefaultDeviceIdentifierSystem);
        }
        else if (identityServer is not null)
        {
            // Create mode with a server to ask: existing Patients and Devices are found, not overwritten, and a
            // Device linked to another patient is refused. Without one (NDJSON output), ids are derived alone.
            _resolver = new CreateIdentityResolver(identityServer, options.DefaultDeviceIdentifierSystem);
        }

        if (_resolver is not null)
        {
            _identities = new IdentityCache(options.IdentityCacheExpiry, options.IdentityFailureCacheExpiry, createsDevices: options.ResolutionType == IdentityResolutionType.Create);
        }

        _store = store;
        _signals = signals;
        _options = options;
        _clock = clock;
        _logger = logger;
        _mapper = new BatchMapper(deviceMapping, fhirMapping, options, _identities, tap);
        _windows = new SampledDataWindows(store, fhirMapping, options);
    }

    /// <summary>Device messages mapped since start (including dead-lettered and unmatched ones).</summary>
    public long MappedCount => Interlocked.Read(ref _mappedCount);

    /// <summary>Device messages dead-lettered since start.</summary>
    public long DeadLetteredCount => Interlocked.Read(ref _deadLetteredCount);

    /// <summary>Measurements normalized from the device messages that were mapped (not dead-lettered) since start.</summary>
    public long MeasurementCount => Interlocked.Read(ref _measurementCount);

    /// <summary>Device messages that matched no template since start (counted, not dead-lettered, unless configured so).</summary>
    public long UnmatchedCount => Interlocked.Read(ref _unmatchedCount);

    /// <summary>SampledData window writes copied to the outbox since start (one per window per flush).</summary>
    public long WindowsFlushedCount => _windows.FlushedCount;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using SqliteConnection connection = _store.OpenPipelineConnection();
        using SqliteCommand oldestQuery = InboxTable.PrepareOldestReceived(connection);
        var batch = new List<InboxMessage>(_options.MapBatchSize);
        TimeSpan lookupDelay = _options.FirstRetryDelay;
        bool lingered = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_signals.TakeWindowFlushRequest() is { } flushRequest)
                {
                    flushRequest.TrySetResult(await FlushWindowsAsync(connection, stoppingToken, force: true).ConfigureAwait(false));
                }

                // Keys the server refused since the last batch are resolved again (issue 12 item 4).
                _invalidations?.Apply(_identities, _mapper.CreatedIdentities);
                if (_isolating == 0 && await DeferForBurstAsync(oldestQuery, stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                batch.Clear();
                InboxTable.ReadOldest(connection, _isolating > 0 ? 1 : _options.MapBatchSize, batch);
                if (batch.Count < _options.MapBatchSize)
                {
                    // Caught up: a later burst may be held back again.
                    _deferring = false;
                }

                if (batch.Count == 0)
                {
                    await FlushWindowsAsync(connection, stoppingToken).ConfigureAwait(false);
                    await _signals.Inbox.WaitAsync(_options.IdlePoll, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (!lingered && _isolating == 0 && batch.Count < _options.MapBatchSize && _options.MapLinger > TimeSpan.Zero)
                {
                    // A partial batch waits once for the messages still arriving, then is read again (issue 16 §1).
                    lingered = true;
                    await Task.Delay(_options.MapLinger, _clock, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                lingered = false;

                DateTime now = _clock.GetUtcNow().UtcDateTime;
                if (await MapAsync(connection, batch, now, stoppingToken).ConfigureAwait(false) is { } unavailable)
                {
                    // The server could not answer an identity lookup: the batch stays in the inbox, safe, and is mapped again after the wait.
                    LogIdentityUnavailable(lookupDelay.TotalSeconds, unavailable);
                    _metrics.IdentityRetry();
                    await Task.Delay(lookupDelay, _clock, stoppingToken).ConfigureAwait(false);
                    lookupDelay = TimeSpan.FromTicks(Math.Min(lookupDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                    continue;
                }

                lookupDelay = _options.FirstRetryDelay;
                if (_mapped.Faulted)
                {
                    // The batch stays in the inbox; its messages are mapped one at a time until the one that throws is found.
                    _isolating = batch.Count;
                    continue;
                }

                _isolating = Math.Max(0, _isolating - 1);
                await CommitAsync(connection, batch[^1].Id, now, stoppingToken).ConfigureAwait(false);
                Committed(batch);
                await FlushWindowsAsync(connection, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// While a burst waits on the group commit (<see cref="PipelineOptions.BurstDeferral"/>), waits a little instead of
    /// mapping, so the CPU goes to the acknowledgements and Map's writes do not lengthen the commits the devices wait
    /// on. True when it waited. Never past the deferral, by the oldest message's receipt or by the stage's own wait: then
    /// the batch is mapped as usual.
    /// </summary>
    private async Task<bool> DeferForBurstAsync(SqliteCommand oldestQuery, CancellationToken cancellationToken)
    {
        if (_writer is null || _options.BurstDeferral <= TimeSpan.Zero || !IngestIsBursting()
            || InboxTable.OldestReceivedUtc(oldestQuery) is not { } oldest)
        {
            _deferring = false;
            return false;
        }

        if (!_deferring)
        {
            _deferring = true;
            _deferringSince = _clock.GetTimestamp();
        }

        // The oldest message's wait by its receipt time, and the stage's own on a monotonic clock: a receipt time ahead
        // of the wall clock (set back since) must not stretch the deferral, and once it has run out the stage maps until
        // it has caught up, however long the burst goes on.
        TimeSpan waited = _clock.GetUtcNow().UtcDateTime - oldest;
        TimeSpan deferred = _clock.GetElapsedTime(_deferringSince);
        TimeSpan left = _options.BurstDeferral - (waited > deferred ? waited : deferred);
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        _metrics.BurstDeferred();
        await Task.Delay(left < s_burstRecheck ? left : s_burstRecheck, _clock, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Whether the commits since the last call released <see cref="PipelineOptions.BurstCommitSize"/> acknowledgements
    /// each on average (<see cref="InboxWriter.DeviceCommitCount"/>). No such commit since then is no burst: the stage
    /// maps what is left.
    /// </summary>
    private bool IngestIsBursting()
    {
        // Read commits first: the writer adds a commit's messages before the commit, so this reading never counts a
        // commit without its messages, and can only see messages of a commit it does not count yet (a larger average
        // once, which the next reading takes back).
        long commits = _writer!.DeviceCommitCount;
        long messages = _writer.DeviceMessageCount;
        long newMessages = messages - _seenDeviceMessages;
        long newCommits = commits - _seenDeviceCommits;
        _seenDeviceMessages = messages;
        _seenDeviceCommits = commits;
        return newCommits > 0 && newMessages >= newCommits * _options.BurstCommitSize;
    }

    /// <summary>
    /// Maps the batch into <see cref="_mapped"/>, asking the server for identities this stage has not resolved yet and
    /// mapping again with the answers (on a warm cache there is one pass). Returns why, when the server could not answer.
    /// </summary>
    private async Task<string?> MapAsync(SqliteConnection connection, List<InboxMessage> batch, DateTime now, CancellationToken cancellationToken)
    {
        _identities?.BeginPass(connection, now);
        _mapper.CreatedIdentities?.BeginPass(connection);
        if (!TryMap(batch, now) || !_mapped.IdentityPending)
        {
            return null;
        }

        string? unavailable = await _identities!.ResolveMissingAsync(_resolver!, now, cancellationToken).ConfigureAwait(false);
        if (unavailable is not null)
        {
            return unavailable;
        }

        _identities.BeginPass(connection, now);
        if (!TryMap(batch, now))
        {
            return null;
        }

        // Resolved keys can have left the bounded memory before this pass read them (they reach the store only with
        // the commit): never commit a batch with a message that produced nothing for that reason.
        return _mapped.IdentityPending ? "resolved identities were evicted from memory before the batch could use them" : null;
    }

    /// <summary>
    /// Maps the batch; false when the mapping threw (it is pure: no store or network failure can be the cause, only a
    /// message it mishandles). A batch of several is then marked <see cref="MappedBatch.Faulted"/> to be mapped again
    /// one message at a time; a single message becomes a dead letter naming the fault, so one bad message never stops
    /// the stage, nor, after a restart, stops it again.
    /// </summary>
    private bool TryMap(List<InboxMessage> batch, DateTime now)
    {
        try
        {
            _mapper.Map(batch, now, _mapped);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (batch.Count > 1)
            {
                _mapper.Abandon();
                _mapped.Clear();
                _mapped.Faulted = true;
            }
            else
            {
                _mapper.Failed(batch[0], ex, now, _mapped);
                LogMappingFault(batch[0].CorrelationId, ex.GetType().Name);
            }

            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Map: mapping message {CorrelationId} threw {ExceptionType}; it goes to dead letters with the exception's message, and the stage goes on.")]
    private partial void LogMappingFault(string correlationId, string exceptionType);

    /// <summary>Writes the mapped batch and removes it from the inbox, in one transaction: the writer's when there is one.</summary>
    private async Task CommitAsync(SqliteConnection connection, long lastInboxId, DateTime now, CancellationToken cancellationToken)
    {
        // With the writer, the delegate runs on the writer's thread and reads this stage's state (_mapped, the identity
        // caches, the windows, these two fields). Only this loop touches that state, and it awaits the write before going
        // on, so nothing else runs on it meanwhile. Once queued, the write commits (the writer drains its queue before
        // it stops), and the loop must not move on while the writer still reads the batch.
        _commitThrough = lastInboxId;
        _commitNow = now;
        await StageCommit.RunAsync(_store, _writer, connection, _writeCommit, cancellationToken).ConfigureAwait(false);
    }

    private void Write(SqliteConnection connection, SqliteTransaction transaction, long lastInboxId, DateTime now)
    {
        _identities?.SaveResolved(connection, transaction);
        _mapper.CreatedIdentities?.SaveLinks(connection, transaction, now);
        using var insert = new OutboxInsert(connection, transaction);
        foreach (MappedRecord record in _mapped.Records)
        {
            FhirResource? resource = record.Kind == OutboxKind.SampledDataWindow ? _windows.Merge(connection, transaction, record, now) : record.Resource;
            if (resource is not null)
            {
                insert.Insert(new OutboxRecord
                {
                    CreatedUtc = now,
                    DeviceId = record.DeviceId,
                    // A window that could not join its open window goes as it is, and is merged with the server's copy.
                    Kind = record.Kind,
                    PatientId = record.PatientId,
                    EncounterId = record.EncounterId,
                    DeviceTimeUtc = record.DeviceTimeUtc,
                    Source = record.Source,
                    ResourceType = resource.ResourceType,
                    ResourceId = resource.Id,
                    Body = resource.Json,
                });
            }
        }

        foreach (DeadLetter letter in _mapped.DeadLetters)
        {
            DeadLetterTable.Insert(connection, transaction, letter);
        }

        InboxTable.DeleteThrough(connection, transaction, lastInboxId);
    }

    /// <summary>After the commit: counters, the Persist stage's wake-up, and one log entry per message.</summary>
    private void Committed(List<InboxMessage> batch)
    {
        _metrics.MapCommitted(batch, _mapped.Normalized, _mapped.Measurements, _mapped.Groups, _mapped.DeadLetters);
        _metrics.Unmatched(_mapped.UnmatchedCount);
        Interlocked.Add(ref _unmatchedCount, _mapped.UnmatchedCount);
        Interlocked.Add(ref _mappedCount, batch.Count);
        Interlocked.Add(ref _deadLetteredCount, _mapped.DeadLetters.Count);
        long measured = 0;
        foreach (int count in _mapped.Measured)
        {
            measured += Math.Max(0, count);
        }

        Interlocked.Add(ref _measurementCount, measured);
        if (_mapped.Records.Count > 0)
        {
            _signals.Outbox.Set();
        }

        LogOutcomes(batch);
    }

    private async Task<int> FlushWindowsAsync(SqliteConnection connection, CancellationToken cancellationToken, bool force = false)
    {
        int flushed = await _windows.FlushAsync(connection, _clock.GetUtcNow().UtcDateTime, cancellationToken, force).ConfigureAwait(false);
        if (flushed > 0)
        {
            _signals.Outbox.Set();
        }

        return flushed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Map: identity lookup on the FHIR server failed; the batch stays in the inbox and is tried again in {Seconds:0.0} s. {Reason}")]
    private partial void LogIdentityUnavailable(double seconds, string reason);

    /// <summary>
    /// One entry per message of a committed batch, each with its correlation id: Debug for a mapped or unmatched one,
    /// Warning for a dead letter (its kind only: the error text can quote the message, so it goes to Debug, with the device).
    /// </summary>
    private void LogOutcomes(List<InboxMessage> batch)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            for (int i = 0; i < batch.Count; i++)
            {
                int measured = _mapped.Measured[i];
                if (measured >= 0)
                {
                    LogMapped(batch[i].CorrelationId, batch[i].DeviceId, measured);
                }
                else if (measured == MappedBatch.Unmatched)
                {
                    LogUnmatched(batch[i].CorrelationId, batch[i].DeviceId);
                }
            }
        }

        foreach (DeadLetter letter in _mapped.DeadLetters)
        {
            LogDeadLettered(letter.Message.CorrelationId, letter.KindName);
            LogDeadLetterError(letter.Message.CorrelationId, letter.Message.DeviceId, letter.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Map: message {CorrelationId} from device {DeviceId} normalized into {Measurements} measurement(s) and transformed.")]
    private partial void LogMapped(string correlationId, string? deviceId, int measurements);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Map: message {CorrelationId} from device {DeviceId} matched no template; counted as unmatched.")]
    private partial void LogUnmatched(string correlationId, string? deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Map: message {CorrelationId} moved to dead letters ({ErrorKind}); list them with 'deadletters list'.")]
    private partial void LogDeadLettered(string correlationId, string errorKind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Map: message {CorrelationId} from device {DeviceId} is a dead letter: {Error}")]
    private partial void LogDeadLetterError(string correlationId, string? deviceId, string error);
}
