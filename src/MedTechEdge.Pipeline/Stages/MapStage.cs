using System.Text.Json;
using MedTechEdge.Fhir.Client;
using MedTechEdge.Mapping;
using MedTechEdge.Mapping.Grouping;
using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;
using MedTechEdge.Pipeline.Identity;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Normalize, Group and Transform, as one stage over the store: takes a batch from <c>inbox</c>, maps
/// each device message to FHIR resources, and in one transaction writes them to <c>outbox</c>, writes
/// failures to <c>dead_letter</c>, and removes the batch from <c>inbox</c>. A crash before the commit
/// leaves the batch in the inbox, to be mapped again; after it, in the outbox. Never in both, never in neither.
/// </summary>
public sealed partial class MapStage : BackgroundService
{
    private readonly MedTechStore _store;
    private readonly DeviceMapping _deviceMapping;
    private readonly FhirMapping _fhirMapping;
    private readonly PipelineSignals _signals;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<MapStage> _logger;
    private readonly CreateModeIdentity _identity = new();
    private readonly List<(string Device, string Patient)> _emittedPairs = [];
    private readonly Dictionary<(string Device, string? Patient, string? Encounter), ResourceReferences> _references = [];
    private readonly MeasurementGrouping _grouping;
    private readonly List<(FhirResource Observation, string Device, DateTime Closes)> _windows = [];
    private readonly List<WindowRecord> _dueWindows = [];

    // Beside each resource of the batch (as the devices list is): the device message it came from, so a resource the
    // server refuses becomes a dead letter holding that message. Null for a SampledData window (many messages).
    private readonly List<OutboxOrigin> _sources = [];
    private readonly Dictionary<(string Device, string Type, DateTime Time), InboxMessage> _sourceOf = [];
    private DateTime _nextFlushCheck;
    private readonly IIdentityResolver? _lookup;
    private readonly IdentityCache? _identities;
    private readonly MeasurementTap? _tap;
    private readonly PipelineMetrics _metrics;
    private readonly IdentityInvalidations? _invalidations;

    // This pass's counts for the metrics, reset by MapBatch (a batch may be mapped twice) and added after the commit.
    private int _normalizedInBatch;
    private int _measurementsInBatch;
    private int _groupsInBatch;

    /// <summary>Creates the stage.</summary>
    /// <param name="identityServer">The FHIR server that Lookup modes search; required for them, unused in Create mode.</param>
    /// <param name="tap">Where the measurements that became output are recorded for the dashboard; null: nowhere.</param>
    /// <param name="metrics">Where the stage counts what it does (the metrics endpoint); null: counters read by nobody.</param>
    /// <param name="invalidations">Identity keys the FHIR server refused, posted by Persist; null: none.</param>
    public MapStage(MedTechStore store, DeviceMapping deviceMapping, FhirMapping fhirMapping, PipelineSignals signals, PipelineOptions options, TimeProvider clock, ILogger<MapStage> logger, FhirClient? identityServer = null, MeasurementTap? tap = null, PipelineMetrics? metrics = null, IdentityInvalidations? invalidations = null)
    {
        _invalidations = invalidations;
        _metrics = metrics ?? new PipelineMetrics();
        if (options.ResolutionType != IdentityResolutionType.Create)
        {
            _lookup = new LookupIdentityResolver(
                identityServer ?? throw new ArgumentException($"Resolution type {options.ResolutionType} needs a FHIR server to search.", nameof(identityServer)),
                options.ResolutionType,
                options.DefaultDeviceIdentifierSystem);
        }
        else if (identityServer is not null)
        {
            // Create mode with a server to ask: existing Patients and Devices are found, not overwritten, and a
            // Device linked to another patient is refused. Without one (NDJSON output), ids are derived alone.
            _lookup = new CreateIdentityResolver(identityServer, options.DefaultDeviceIdentifierSystem);
        }

        if (_lookup is not null)
        {
            _identities = new IdentityCache(options.IdentityCacheExpiry, options.IdentityFailureCacheExpiry);
        }

        _store = store;
        _deviceMapping = deviceMapping;
        _fhirMapping = fhirMapping;
        _signals = signals;
        _options = options;
        _clock = clock;
        _logger = logger;
        _tap = tap;
        _grouping = fhirMapping.CreateGrouping();
    }

    /// <summary>Device messages mapped since start (including dead-lettered ones).</summary>
    public long MappedCount => Interlocked.Read(ref _mappedCount);

    /// <summary>Device messages dead-lettered since start.</summary>
    public long DeadLetteredCount => Interlocked.Read(ref _deadLetteredCount);

    /// <summary>Measurements normalized from the device messages that were mapped (not dead-lettered) since start.</summary>
    public long MeasurementCount => Interlocked.Read(ref _measurementCount);

    private long _measurementCount;

    // Beside each message of the batch: how many measurements it gave, -1 when it became a dead letter. Counted and
    // logged after the commit, since a batch may be mapped twice (identity lookups) and only the last pass counts.
    private readonly List<int> _measured = [];

    private long _mappedCount;
    private long _windowsFlushed;

    /// <summary>SampledData window writes copied to the outbox since start (one per window per flush).</summary>
    public long WindowsFlushedCount => Interlocked.Read(ref _windowsFlushed);
    private long _deadLetteredCount;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using SqliteConnection connection = _store.OpenConnection();
        var batch = new List<InboxMessage>(_options.MapBatchSize);
        var measurements = new List<Measurement>();
        var resources = new List<FhirResource>();
        var devices = new List<string>();
        var deadLetters = new List<DeadLetter>();
        TimeSpan lookupDelay = _options.FirstRetryDelay;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_signals.TakeWindowFlushRequest() is { } flushRequest)
                {
                    _nextFlushCheck = DateTime.MinValue;
                    flushRequest.TrySetResult(await FlushWindowsAsync(connection, _clock.GetUtcNow().UtcDateTime, stoppingToken, force: true).ConfigureAwait(false));
                }

                // Keys the server refused since the last batch are resolved again (issue 12 item 4).
                _invalidations?.Apply(_identities, _identity);
                batch.Clear();
                InboxTable.ReadOldest(connection, _options.MapBatchSize, batch);
                if (batch.Count == 0)
                {
                    await FlushWindowsAsync(connection, _clock.GetUtcNow().UtcDateTime, stoppingToken).ConfigureAwait(false);
                    await _signals.Inbox.WaitAsync(_options.IdlePoll, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                DateTime now = _clock.GetUtcNow().UtcDateTime;
                MapBatch(connection, batch, now, measurements, resources, devices, deadLetters);
                if (_identities is { HasMissing: true })
                {
                    // Devices this stage has not resolved yet: ask the server, then map the batch again with the answers.
                    // The first pass's output is discarded; on a warm cache there is only one pass.
                    string? unavailable = await _identities.ResolveMissingAsync(_lookup!, now, stoppingToken).ConfigureAwait(false);
                    if (unavailable is not null)
                    {
                        // The batch stays in the inbox, safe, and is mapped again after the wait.
                        LogIdentityUnavailable(lookupDelay.TotalSeconds, unavailable);
                        _metrics.IdentityRetry();
                        await Task.Delay(lookupDelay, _clock, stoppingToken).ConfigureAwait(false);
                        lookupDelay = TimeSpan.FromTicks(Math.Min(lookupDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                        continue;
                    }

                    MapBatch(connection, batch, now, measurements, resources, devices, deadLetters);
                }

                lookupDelay = _options.FirstRetryDelay;

                await _store.WriteLock.WaitAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    Commit(connection, batch[^1].Id, resources, devices, deadLetters, now);
                }
                finally
                {
                    _store.WriteLock.Release();
                }

                _metrics.MapCommitted(batch, _normalizedInBatch, _measurementsInBatch, _groupsInBatch, deadLetters);
                await FlushWindowsAsync(connection, now, stoppingToken).ConfigureAwait(false);
                Interlocked.Add(ref _mappedCount, batch.Count);
                Interlocked.Add(ref _deadLetteredCount, deadLetters.Count);
                if (resources.Count > 0)
                {
                    _signals.Outbox.Set();
                }

                LogOutcomes(batch, deadLetters);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Maps the whole batch into resources and dead letters, starting from empty outputs.</summary>
    private void MapBatch(SqliteConnection connection, List<InboxMessage> batch, DateTime now, List<Measurement> measurements, List<FhirResource> resources, List<string> devices, List<DeadLetter> deadLetters)
    {
        resources.Clear();
        devices.Clear();
        _sources.Clear();
        _sourceOf.Clear();
        deadLetters.Clear();
        _windows.Clear();
        _grouping.Clear();
        _references.Clear();
        _normalizedInBatch = _measurementsInBatch = _groupsInBatch = 0;
        _identities?.BeginPass(connection, now);
        _measured.Clear();
        foreach (InboxMessage message in batch)
        {
            int letters = deadLetters.Count;
            switch (_options.Output)
            {
                case MapOutput.DeviceMessages:
                    // No mapping: the message goes up as it came in.
                    resources.Add(new FhirResource("DeviceMessage", message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), message.Body));
                    devices.Add(message.DeviceId ?? string.Empty);
                    _sources.Add(new OutboxOrigin(message, OutboxKind.DeviceMessage));
                    break;
                case MapOutput.Measurements:
                    NormalizeOne(message, now, measurements, resources, devices, deadLetters);
                    break;
                default:
                    MapOne(message, now, measurements, resources, devices, deadLetters);
                    break;
            }

            _measured.Add(deadLetters.Count > letters ? -1 : _options.Output == MapOutput.DeviceMessages ? 0 : measurements.Count);
        }

        CreateObservations(now, resources, devices);
    }

    /// <summary>Normalizes one message into <paramref name="measurements"/>; false (with a dead letter) when it cannot be.</summary>
    private bool TryNormalize(InboxMessage message, DateTime now, List<Measurement> measurements, List<DeadLetter> deadLetters)
    {
        if (!DeviceEnvelope.TryCreate(message.Body, message.Properties, message.SystemProperties, out DeviceEnvelope? envelope, out string? error))
        {
            deadLetters.Add(Letter(message, DeadLetterKind.InvalidDeviceMessage, error!, now));
            return false;
        }

        using (envelope)
        {
            measurements.Clear();
            error = _deviceMapping.Normalize(envelope!, message.ReceivedUtc, measurements);
        }

        if (error is not null)
        {
            deadLetters.Add(Letter(message, DeadLetterKind.NormalizationError, error, now));
            return false;
        }

        _normalizedInBatch++;
        _measurementsInBatch += measurements.Count;
        return true;
    }

    /// <summary>Normalize only: one outbox record per measurement, in the normalized schema (medtech-compat §5).</summary>
    private void NormalizeOne(InboxMessage message, DateTime now, List<Measurement> measurements, List<FhirResource> resources, List<string> devices, List<DeadLetter> deadLetters)
    {
        if (!TryNormalize(message, now, measurements, deadLetters))
        {
            return;
        }

        for (int i = 0; i < measurements.Count; i++)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                MeasurementJson.Write(writer, measurements[i]);
            }

            string id = message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            resources.Add(new FhirResource("Measurement", id, buffer.WrittenSpan.ToArray()));
            devices.Add(measurements[i].DeviceId);
            _sources.Add(new OutboxOrigin(message, OutboxKind.Measurement, measurements[i].PatientId, measurements[i].EncounterId, measurements[i].OccurrenceTimeUtc));
            _tap?.Record(measurements[i], now);
        }
    }

    private void MapOne(InboxMessage message, DateTime now, List<Measurement> measurements, List<FhirResource> resources, List<string> devices, List<DeadLetter> deadLetters)
    {
        if (!TryNormalize(message, now, measurements, deadLetters))
        {
            return;
        }

        string? error;

        // All or nothing per device message: every measurement is checked before any joins a group.
        int start = resources.Count;
        _emittedPairs.Clear();
        foreach (Measurement measurement in measurements)
        {
            DeadLetterKind kind = DeadLetterKind.FhirTransformError;
            ResourceReferences? references;
            if (_identities is null)
            {
                references = _identity.Resolve(measurement, resources, _emittedPairs, out error);
            }
            else if (!_identities.TryGet(measurement, out references, out kind, out error))
            {
                // Not resolved yet: noted, and this batch is mapped again once it is.
                return;
            }

            if (error is null && (error = _fhirMapping.Check(measurement)) is not null)
            {
                kind = DeadLetterKind.FhirTransformError;
            }

            if (error is not null)
            {
                resources.RemoveRange(start, resources.Count - start);
                devices.RemoveRange(start, devices.Count - start);
                _sources.RemoveRange(start, _sources.Count - start);
                // The identity resources just emitted were dropped with the rest; emit them again next time.
                _identity.Forget(_emittedPairs);
                deadLetters.Add(Letter(message, kind, error, now));
                return;
            }

            _references[(measurement.DeviceId, measurement.PatientId, measurement.EncounterId)] = references!;
            while (devices.Count < resources.Count)
            {
                devices.Add(measurement.DeviceId);
                _sources.Add(new OutboxOrigin(message, OutboxKind.Identity, measurement.PatientId, measurement.EncounterId));
            }
        }

        foreach (Measurement measurement in measurements)
        {
            _grouping.Add(measurement);
            _sourceOf[(measurement.DeviceId, measurement.Type, measurement.OccurrenceTimeUtc)] = message;
            _tap?.Record(measurement, now);
        }
    }

    private void CreateObservations(DateTime now, List<FhirResource> resources, List<string> devices)
    {
        // One Observation per group of this batch. SampledData ones go to their window (merged there at commit);
        // merging with what the server already holds is the sink's job.
        foreach (ObservationGroup group in _grouping.Groups)
        {
            _groupsInBatch++;
            ResourceReferences references = _references[(group.DeviceId, group.PatientId, group.EncounterId)];
            string? error = _fhirMapping.CreateObservation(group, references, now, out FhirResource? observation);
            // Check() vouched for every value, so creation cannot fail on data.
            System.Diagnostics.Debug.Assert(error is null, error);
            if (observation is null)
            {
                continue;
            }

            if (_fhirMapping.MergesOnWrite(group.Type))
            {
                // SampledData: collected in its open window in the store, and written once per flush.
                _windows.Add((observation, group.DeviceId, _fhirMapping.WindowEnd(group) ?? DateTime.MaxValue));
                continue;
            }

            resources.Add(observation);
            devices.Add(group.DeviceId);
            // A point-in-time group ends at its latest measurement: that measurement's message is the source.
            _sources.Add(new OutboxOrigin(_sourceOf.GetValueOrDefault((group.DeviceId, group.Type, group.End)), OutboxKind.Resource, group.PatientId, group.EncounterId, group.End));
        }

        _grouping.Clear();
        _references.Clear();
    }

    /// <summary>Merges a batch's SampledData Observation into its open window; false when it cannot be merged.</summary>
    private bool MergeIntoWindow(SqliteConnection connection, SqliteTransaction transaction, FhirResource observation, string device, DateTime closes, DateTime now)
    {
        WindowRecord? window = WindowTable.Find(connection, transaction, observation.Id);
        if (window is null)
        {
            WindowTable.Save(connection, transaction, new WindowRecord
            {
                ResourceId = observation.Id,
                DeviceId = device,
                Body = observation.Json,
                ClosesUtc = closes,
                UpdatedUtc = now,
                DirtySinceUtc = now,
            });
            return true;
        }

        // Until the window is first written, its Observation is still the original, not an amendment (§7.3 step 4).
        if (_fhirMapping.MergeObservationJson(window.Body, observation.Json, out byte[]? merged, amend: window.Flushed) is not null)
        {
            return false;
        }

        if (merged is not null)
        {
            window.Body = merged;
            window.UpdatedUtc = now;
            window.DirtySinceUtc ??= now;
            WindowTable.Save(connection, transaction, window);
        }

        return true;
    }

    /// <summary>
    /// Copies due windows to the outbox, in one transaction: those whose oldest unwritten data has waited a flush
    /// interval, and those that just closed. Looks at most once a second, or a quarter of the interval when that is shorter.
    /// </summary>
    /// <param name="force">Every window with unwritten data is due, whatever its age (an operator's flush).</param>
    private async Task<int> FlushWindowsAsync(SqliteConnection connection, DateTime now, CancellationToken cancellationToken, bool force = false)
    {
        if (now < _nextFlushCheck)
        {
            return 0;
        }

        TimeSpan interval = _options.SampledDataFlushInterval;
        _nextFlushCheck = now + TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, Math.Max(1, interval.Ticks / 4)));
        _dueWindows.Clear();
        int flushed;
        await _store.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            WindowTable.ReadDue(connection, transaction, now, force ? TimeSpan.Zero : interval, _dueWindows);
            if (_dueWindows.Count > 0)
            {
                using var insert = new OutboxInsert(connection, transaction);
                foreach (WindowRecord window in _dueWindows)
                {
                    // The window's device time is read from its body once per flush (open_window has no column for it).
                    insert.Insert(new OutboxRecord
                    {
                        CreatedUtc = now,
                        DeviceId = window.DeviceId,
                        Kind = OutboxKind.SampledDataWindow,
                        ResourceType = "Observation",
                        ResourceId = window.ResourceId,
                        Body = window.Body,
                        DeviceTimeUtc = PipelineMetrics.TryReadDeviceTime(window.Body, out DateTime deviceTime) ? deviceTime : null,
                    });
                    window.DirtySinceUtc = null;
                    window.Flushed = true;
                    WindowTable.Save(connection, transaction, window);
                }
            }

            // A closed window stays one interval for late data; one without data for an hour (a correlation id) is finished.
            WindowTable.DeleteFinished(connection, transaction, now, interval, TimeSpan.FromHours(1));
            transaction.Commit();
            flushed = _dueWindows.Count;
        }
        finally
        {
            _store.WriteLock.Release();
        }

        if (flushed > 0)
        {
            Interlocked.Add(ref _windowsFlushed, flushed);
            _signals.Outbox.Set();
        }

        return flushed;
    }

    private static DeadLetter Letter(InboxMessage message, DeadLetterKind kind, string error, DateTime now) =>
        new() { CreatedUtc = now, Stage = PipelineStage.Map, Kind = kind, Error = error, Message = message };

    private void Commit(SqliteConnection connection, long lastInboxId, List<FhirResource> resources, List<string> devices, List<DeadLetter> deadLetters, DateTime now)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        if (_identities is not null)
        {
            // New Patients and Devices go ahead of every Observation of the batch: same device, same lane, earlier.
            List<(FhirResource Resource, (string Device, string? Patient, string? Encounter) Key)> emitted = _identities.Emitted;
            for (int i = emitted.Count - 1; i >= 0; i--)
            {
                resources.Insert(0, emitted[i].Resource);
                devices.Insert(0, emitted[i].Key.Device);
                _sources.Insert(0, new OutboxOrigin(null, OutboxKind.Identity, emitted[i].Key.Patient, emitted[i].Key.Encounter));
            }

            _identities.SaveResolved(connection, transaction);
        }
        foreach ((FhirResource observation, string device, DateTime closes) in _windows)
        {
            if (!MergeIntoWindow(connection, transaction, observation, device, closes, now))
            {
                // It cannot join its window (the template changed its value type): the sink merges it with the
                // server's copy, or dead-letters it with the reason.
                resources.Add(observation);
                devices.Add(device);
                _sources.Add(new OutboxOrigin(null, OutboxKind.SampledDataWindow));
            }
        }

        using var insert = new OutboxInsert(connection, transaction);
        for (int i = 0; i < resources.Count; i++)
        {
            FhirResource resource = resources[i];
            OutboxOrigin origin = _sources[i];
            insert.Insert(new OutboxRecord
            {
                CreatedUtc = now,
                DeviceId = devices[i],
                Source = origin.Source,
                Kind = origin.Kind,
                PatientId = origin.PatientId,
                EncounterId = origin.EncounterId,
                DeviceTimeUtc = origin.DeviceTimeUtc,
                ResourceType = resource.ResourceType,
                ResourceId = resource.Id,
                Body = resource.Json,
            });
        }

        foreach (DeadLetter letter in deadLetters)
        {
            DeadLetterTable.Insert(connection, transaction, letter);
        }

        InboxTable.DeleteThrough(connection, transaction, lastInboxId);
        transaction.Commit();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Map: identity lookup on the FHIR server failed; the batch stays in the inbox and is tried again in {Seconds:0.0} s. {Reason}")]
    private partial void LogIdentityUnavailable(double seconds, string reason);

    /// <summary>
    /// One entry per message of a committed batch, each with its correlation id: Debug for a mapped one, Warning for a
    /// dead letter (its kind only: the error text can quote the message, so it goes to Debug, with the device).
    /// </summary>
    private void LogOutcomes(List<InboxMessage> batch, List<DeadLetter> deadLetters)
    {
        long measured = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            if (_measured[i] >= 0)
            {
                measured += _measured[i];
                LogMapped(batch[i].CorrelationId, batch[i].DeviceId, _measured[i]);
            }
        }

        Interlocked.Add(ref _measurementCount, measured);
        foreach (DeadLetter letter in deadLetters)
        {
            LogDeadLettered(letter.Message.CorrelationId, letter.KindName);
            LogDeadLetterError(letter.Message.CorrelationId, letter.Message.DeviceId, letter.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Map: message {CorrelationId} from device {DeviceId} normalized into {Measurements} measurement(s) and transformed.")]
    private partial void LogMapped(string correlationId, string? deviceId, int measurements);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Map: message {CorrelationId} moved to dead letters ({ErrorKind}); list them with 'deadletters list'.")]
    private partial void LogDeadLettered(string correlationId, string errorKind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Map: message {CorrelationId} from device {DeviceId} is a dead letter: {Error}")]
    private partial void LogDeadLetterError(string correlationId, string? deviceId, string error);
}
