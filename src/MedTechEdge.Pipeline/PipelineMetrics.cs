using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline;

/// <summary>
/// The pipeline's counters, in the MedTech service's vocabulary (incoming messages, normalized messages,
/// measurements, message groups, FHIR resources saved, handled errors) plus the edge's own (sink retries and
/// state, latency to the sink). The stages add to them once per batch with <see cref="Interlocked"/>; the host's
/// metrics endpoint reads them at scrape time. Nothing here is keyed by device: labels stay few (cardinality).
/// </summary>
public sealed class PipelineMetrics
{
    /// <summary>After this long of transient failures without an answer the sink counts as failing, not retrying.</summary>
    public static readonly TimeSpan FailingAfter = TimeSpan.FromMinutes(1);

    private long _incomingMqtt;
    private long _incomingEdgeHub;
    private long _incomingEventHub;
    private long _incomingReplay;
    private long _incomingOther;
    private long _normalized;
    private long _measurements;
    private long _groups;
    private long _created;
    private long _updated;
    private long _unchanged;
    private long _written;
    private long _sinkWrites;
    private long _sinkRetries;
    private long _sinkRejections;
    private long _identityRetries;

    // Ticks (UTC) of the first transient failure since the sink last answered; 0 while it answers.
    private long _failingSinceTicks;

    // Dead letters are rare, and their kinds few (the stages' own constants): a dictionary is cheap enough.
    private readonly ConcurrentDictionary<(string Stage, string Kind), StrongBox<long>> _errors = new();

    /// <summary>Device time (the Observation's effective time, the measurement's occurrence time) to the sink's confirmation.</summary>
    public LatencyHistogram DeviceToSinkLatency { get; } = new();

    /// <summary>The module's receipt of the device message to the sink's confirmation: the pipeline's own share of the latency.</summary>
    public LatencyHistogram IngestToSinkLatency { get; } = new();

    /// <summary>Device messages taken into the pipeline (mapped or dead-lettered), by the ingress that received them.</summary>
    public long IncomingMqtt => Interlocked.Read(ref _incomingMqtt);

    /// <inheritdoc cref="IncomingMqtt"/>
    public long IncomingEdgeHub => Interlocked.Read(ref _incomingEdgeHub);

    /// <inheritdoc cref="IncomingMqtt"/>
    public long IncomingEventHub => Interlocked.Read(ref _incomingEventHub);

    /// <inheritdoc cref="IncomingMqtt"/>
    public long IncomingReplay => Interlocked.Read(ref _incomingReplay);

    /// <inheritdoc cref="IncomingMqtt"/>
    public long IncomingOther => Interlocked.Read(ref _incomingOther);

    /// <summary>Device messages the device mapping normalized.</summary>
    public long Normalized => Interlocked.Read(ref _normalized);

    /// <summary>Measurements the device mapping produced.</summary>
    public long Measurements => Interlocked.Read(ref _measurements);

    /// <summary>Groups of measurements (device, type, patient, encounter, correlation id, period), one Observation each.</summary>
    public long Groups => Interlocked.Read(ref _groups);

    /// <summary>Resources the FHIR server created (201).</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Resources the FHIR server updated (200).</summary>
    public long Updated => Interlocked.Read(ref _updated);

    /// <summary>SampledData Observations with nothing new for the server's copy: not written (the service's no-op).</summary>
    public long Unchanged => Interlocked.Read(ref _unchanged);

    /// <summary>Resources written by a sink that does not say created or updated (NDJSON, Event Hubs, edgeHub).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Batches the sink accepted.</summary>
    public long SinkWrites => Interlocked.Read(ref _sinkWrites);

    /// <summary>Batch writes that failed transiently and are retried.</summary>
    public long SinkRetries => Interlocked.Read(ref _sinkRetries);

    /// <summary>Writes the sink refused for good (their records went to dead letters).</summary>
    public long SinkRejections => Interlocked.Read(ref _sinkRejections);

    /// <summary>Identity lookups on the FHIR server that failed and are retried (the batch waits in the inbox).</summary>
    public long IdentityRetries => Interlocked.Read(ref _identityRetries);

    /// <summary>Times the Map stage waited instead of mapping while a burst waited on the group commit (<see cref="PipelineOptions.BurstDeferral"/>).</summary>
    public long BurstDeferrals => Interlocked.Read(ref _burstDeferrals);

    /// <summary>Device messages that matched no template of the device mapping (no error in MedTech, but never silent).</summary>
    public long UnmatchedMessages => Interlocked.Read(ref _unmatched);

    private long _unmatched;
    private long _burstDeferrals;

    /// <summary>Device messages of a committed batch that matched no template.</summary>
    public void Unmatched(int count) => Add(ref _unmatched, count);

    /// <summary>Dead letters since start, by stage and error kind.</summary>
    public IEnumerable<KeyValuePair<(string Stage, string Kind), long>> Errors
    {
        get
        {
            foreach (KeyValuePair<(string Stage, string Kind), StrongBox<long>> error in _errors)
            {
                yield return new(error.Key, Interlocked.Read(ref error.Value.Value));
            }
        }
    }

    /// <summary>The sink's state at <paramref name="nowUtc"/>.</summary>
    public SinkState GetSinkState(DateTime nowUtc)
    {
        long since = Interlocked.Read(ref _failingSinceTicks);
        if (since == 0)
        {
            return SinkState.Connected;
        }

        return nowUtc.Ticks - since >= FailingAfter.Ticks ? SinkState.Failing : SinkState.Retrying;
    }

    /// <summary>The Map stage committed a batch: counts it once, after the commit, so a batch mapped twice is counted once.</summary>
    /// <param name="batch">The device messages taken from the inbox.</param>
    /// <param name="normalized">How many of them normalized.</param>
    /// <param name="measurements">Measurements they produced.</param>
    /// <param name="groups">Measurement groups (Observations) made of them.</param>
    /// <param name="deadLetters">The dead letters written with the batch.</param>
    public void MapCommitted(List<InboxMessage> batch, int normalized, int measurements, int groups, List<DeadLetter> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(deadLetters);
        int mqtt = 0, edgeHub = 0, eventHub = 0, replay = 0, other = 0;
        foreach (InboxMessage message in batch)
        {
            switch (message.Source)
            {
                case MessageSources.Mqtt:
                    mqtt++;
                    break;
                case MessageSources.EdgeHub:
                    edgeHub++;
                    break;
                case MessageSources.EventHub:
                    eventHub++;
                    break;
                case MessageSources.Replay:
                    replay++;
                    break;
                default:
                    other++;
                    break;
            }
        }

        Add(ref _incomingMqtt, mqtt);
        Add(ref _incomingEdgeHub, edgeHub);
        Add(ref _incomingEventHub, eventHub);
        Add(ref _incomingReplay, replay);
        Add(ref _incomingOther, other);
        Add(ref _normalized, normalized);
        Add(ref _measurements, measurements);
        Add(ref _groups, groups);
        foreach (DeadLetter letter in deadLetters)
        {
            DeadLettered(letter.Stage, letter.Kind, 1);
        }
    }

    /// <summary>Records written to dead letters outside a Map batch (the Persist stage's refusals).</summary>
    public void DeadLettered(PipelineStage stage, DeadLetterKind kind, int count)
    {
        StrongBox<long> counter = _errors.GetOrAdd((PipelineStages.Name(stage), DeadLetterKinds.Name(kind)), static _ => new StrongBox<long>());
        Interlocked.Add(ref counter.Value, count);
    }

    /// <summary>An identity lookup failed transiently.</summary>
    public void IdentityRetry() => Interlocked.Increment(ref _identityRetries);

    /// <summary>The Map stage held its batch back for a burst of acknowledgements.</summary>
    public void BurstDeferred() => Interlocked.Increment(ref _burstDeferrals);

    /// <summary>A batch write failed transiently and will be retried.</summary>
    public void SinkTransient(DateTime nowUtc)
    {
        Interlocked.Increment(ref _sinkRetries);
        Interlocked.CompareExchange(ref _failingSinceTicks, nowUtc.Ticks, 0);
    }

    /// <summary>
    /// The sink answered for some records (wrote them, or refused them for good): it is reachable. Counts what it saved,
    /// and the latency of each record written.
    /// </summary>
    /// <param name="result">The sink's result.</param>
    /// <param name="refused">Whether it refused any record for good (a rejection, counted once per write).</param>
    /// <param name="nowUtc">Now.</param>
    public void SinkAnswered(SinkResult result, bool refused, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(result);
        Interlocked.Exchange(ref _failingSinceTicks, 0);
        if (refused)
        {
            Interlocked.Increment(ref _sinkRejections);
        }

        IReadOnlyList<OutboxRecord> records = result.Succeeded;
        if (records.Count == 0)
        {
            return;
        }

        Interlocked.Increment(ref _sinkWrites);
        if (result.Saved is { } saved)
        {
            Add(ref _created, saved.Created);
            Add(ref _updated, saved.Updated);
            Add(ref _unchanged, saved.Unchanged);
            Add(ref _written, records.Count - saved.Created - saved.Updated - saved.Unchanged);
        }
        else
        {
            Add(ref _written, records.Count);
        }

        for (int i = 0; i < records.Count; i++)
        {
            OutboxRecord record = records[i];
            // Patients, Devices and raw device messages carry no device time.
            if (record.DeviceTimeUtc is { } deviceTime)
            {
                DeviceToSinkLatency.Observe(nowUtc - deviceTime);
            }

            if (record.Source is { } source)
            {
                IngestToSinkLatency.Observe(nowUtc - source.ReceivedUtc);
            }
        }
    }

    /// <summary>
    /// The device time of a resource as the pipeline writes it: an Observation's <c>effectivePeriod.end</c> (its group's
    /// latest measurement; ObservationWriter), else <c>effectiveDateTime</c>, else a normalized measurement's
    /// <c>occurrenceTimeUtc</c>. A span search, no parse of the document. Outbox rows carry their device time in a column;
    /// this reads it once per SampledData window flush, whose store row has none.
    /// </summary>
    public static bool TryReadDeviceTime(ReadOnlySpan<byte> json, out DateTime utc)
    {
        int period = json.IndexOf("\"effectivePeriod\""u8);
        if (period >= 0)
        {
            ReadOnlySpan<byte> rest = json[period..];
            int end = rest.IndexOf("\"end\""u8);
            return TryReadStringValue(rest, end, "\"end\""u8.Length, out utc);
        }

        int at = json.IndexOf("\"effectiveDateTime\""u8);
        if (at >= 0)
        {
            return TryReadStringValue(json, at, "\"effectiveDateTime\""u8.Length, out utc);
        }

        at = json.IndexOf("\"occurrenceTimeUtc\""u8);
        return TryReadStringValue(json, at, "\"occurrenceTimeUtc\""u8.Length, out utc);
    }

    private static bool TryReadStringValue(ReadOnlySpan<byte> json, int keyAt, int keyLength, out DateTime utc)
    {
        utc = default;
        if (keyAt < 0)
        {
            return false;
        }

        // After the key: optional white space, ':', optional white space, then the quoted instant (RFC 8259 section 2).
        ReadOnlySpan<byte> rest = json[(keyAt + keyLength)..].TrimStart(" \t\r\n:"u8);
        if (rest.Length < 2 || rest[0] != (byte)'"')
        {
            return false;
        }

        int close = rest[1..].IndexOf((byte)'"');
        if (close < 0 || close > 64)
        {
            return false;
        }

        // FHIR instants carry an offset or Z; Utf8Parser takes only fixed shapes, so parse the few chars as text.
        Span<char> text = stackalloc char[64];
        ReadOnlySpan<byte> value = rest.Slice(1, close);
        for (int i = 0; i < value.Length; i++)
        {
            text[i] = (char)value[i];
        }

        if (!DateTimeOffset.TryParse(text[..value.Length], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
        {
            return false;
        }

        utc = parsed.UtcDateTime;
        return true;
    }

    private static void Add(ref long counter, int count)
    {
        if (count != 0)
        {
            Interlocked.Add(ref counter, count);
        }
    }
}

/// <summary>The sink's state as the metrics report it.</summary>
public enum SinkState
{
    /// <summary>The last write was answered (accepted or refused), or none was tried yet.</summary>
    Connected,

    /// <summary>Writes fail transiently and are retried; the first failure is less than <see cref="PipelineMetrics.FailingAfter"/> old.</summary>
    Retrying,

    /// <summary>Writes have failed transiently for <see cref="PipelineMetrics.FailingAfter"/> or longer.</summary>
    Failing,
}

/// <summary>
/// A latency histogram with fixed bucket bounds, lock-free: one <see cref="Interlocked"/> increment per observation
/// in its own bucket (not cumulative: the exporter adds them up, so an observation touches two words, not fourteen).
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds: sub-second for a healthy pipeline, up to a day for an outage's backlog.</summary>
    public static readonly double[] Bounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 86400];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumMicroseconds;

    /// <summary>Adds one observation. A negative latency (a device clock ahead of the gateway's) counts as zero, so the sum never falls.</summary>
    public void Observe(TimeSpan latency)
    {
        double seconds = Math.Max(0, latency.TotalSeconds);
        int bucket = 0;
        while (bucket < Bounds.Length && seconds > Bounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1_000_000));
    }

    /// <summary>Copies the per-bucket counts (the last is above every bound) into <paramref name="counts"/>; returns the sum in seconds.</summary>
    public double Read(Span<long> counts)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return Interlocked.Read(ref _sumMicroseconds) / 1_000_000.0;
    }
}
