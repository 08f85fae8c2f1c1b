using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Sends resources upstream to Azure Event Hubs with Microsoft's <see cref="EventHubProducerClient"/> (AMQP), where a
/// cloud service takes over. Each event carries the content type <c>application/json</c> and the application
/// properties <c>kind</c> (<c>Measurement</c>, <c>DeviceMessage</c>, or the FHIR resource type) and <c>deviceId</c>.
/// </summary>
/// <remarks>
/// A batch of the outbox is split by device, in the order each device first appears, and each device's records go in
/// as few <see cref="EventDataBatch"/>es as the hub's size limit allows, with the device id as the partition key: one
/// device's events land in one partition, in order. At the first send that fails for a reason that is retried, that
/// send's records carry the reason and everything not yet sent is <see cref="SinkFailureKind.NotAttempted"/>. The
/// order contract of <see cref="IResourceSink"/> therefore holds per device: a device's record never overtakes an
/// earlier one of the same device. Records of a device sent before the failure may lie later in the outbox batch than
/// the failed one; that is harmless because no record refers across devices (each device and patient pair has its own
/// identity rows) and the hub orders by partition key only. Delivery is at least once.
/// </remarks>
public sealed class EventHubSink : IResourceSink, IAsyncDisposable, IDisposable
{
    /// <summary>The content type of every event: the module sends JSON (a device message as it was received).</summary>
    public const string ContentType = "application/json";

    private readonly EventHubProducerClient _producer;
    private readonly long? _maxBatchBytes;

    // The batch size in force: the hub's own limit (the send link's max-message-size), or the configured cap when that
    // is lower. Learnt from the first batch, because CreateBatchAsync refuses a cap above the link's limit.
    private long? _batchBytes;

    /// <summary>Creates the sink; it owns <paramref name="producer"/> and closes it when disposed.</summary>
    /// <param name="producer">The producer for the hub.</param>
    /// <param name="maxBatchBytes">An optional cap on one batch below the hub's own limit; null: the hub's limit.</param>
    public EventHubSink(EventHubProducerClient producer, long? maxBatchBytes = null)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (maxBatchBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatchBytes), "The batch cap must be positive.");
        }

        _producer = producer;
        _maxBatchBytes = maxBatchBytes;
    }

    /// <inheritdoc/>
    public string Name => "eventhub";

    /// <summary>Why the hub refused the module's credentials or entity, for status; null once a send succeeds again.</summary>
    public string? ConfigurationError { get; private set; }

    /// <inheritdoc/>
    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcome = new RecordOutcome[batch.Count];
        SendFailureDetails? failure = null;
        List<DeviceRun> runs = DeviceRun.Split(batch);
        var carried = new List<int>();
        foreach (DeviceRun run in runs)
        {
            failure = await SendRunAsync(batch, run, outcome, carried, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                break;
            }
        }

        if (failure is null)
        {
            ConfigurationError = null;
        }
        else if (failure.Kind == SinkFailureKind.Unauthorized)
        {
            ConfigurationError = failure.Message;
        }

        return Result(batch, outcome, failure);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _producer.DisposeAsync().ConfigureAwait(false);

    /// <summary>
    /// Closes the producer. The host disposes its services synchronously (<c>using (host)</c>), and the container
    /// refuses a singleton that is only <see cref="IAsyncDisposable"/> then, so this waits for the close.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Sends one device's records in batches of the hub's size. Returns null when all were sent or refused for their
    /// size, or the failure that stopped the run (its batch's records marked <see cref="RecordOutcome.Failed"/>).
    /// </summary>
    private async Task<SendFailureDetails?> SendRunAsync(IReadOnlyList<OutboxRecord> batch, DeviceRun run, RecordOutcome[] outcome, List<int> carried, CancellationToken cancellationToken)
    {
        EventDataBatch? events = null;
        int current = -1;
        try
        {
            carried.Clear();
            foreach (int index in run.Indexes)
            {
                current = index;
                EventData data = Event(batch[index]);
                events ??= await CreateBatchAsync(run.DeviceId, cancellationToken).ConfigureAwait(false);
                if (events.TryAdd(data))
                {
                    carried.Add(index);
                    continue;
                }

                if (events.Count > 0)
                {
                    // Full: send it, then start the next one with this record.
                    if (await SendAsync(events, carried, outcome, cancellationToken).ConfigureAwait(false) is SendFailureDetails failed)
                    {
                        return failed;
                    }

                    events.Dispose();
                    events = await CreateBatchAsync(run.DeviceId, cancellationToken).ConfigureAwait(false);
                    if (events.TryAdd(data))
                    {
                        carried.Add(index);
                        continue;
                    }
                }

                // Too large for an empty batch: the hub will never take it. The rest of the device goes on.
                outcome[index] = RecordOutcome.TooLarge;
            }

            return events is { Count: > 0 }
                ? await SendAsync(events, carried, outcome, cancellationToken).ConfigureAwait(false)
                : null;
        }
        catch (Exception ex) when (EventHubSendFailure.IsClassified(ex, cancellationToken))
        {
            // CreateBatchAsync opens the link: a refusal of the credentials or an outage shows here first, with nothing
            // carried yet. The record at hand takes the reason then, so Persist waits before it tries again.
            if (carried.Count == 0 && current >= 0)
            {
                carried.Add(current);
            }

            MarkFailed(carried, outcome);
            return EventHubSendFailure.Classify(ex, carried.Count);
        }
        finally
        {
            events?.Dispose();
        }
    }

    /// <summary>Sends one batch; marks its records written, or failed with the returned reason.</summary>
    private async Task<SendFailureDetails?> SendAsync(EventDataBatch events, List<int> carried, RecordOutcome[] outcome, CancellationToken cancellationToken)
    {
        try
        {
            await _producer.SendAsync(events, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (EventHubSendFailure.IsClassified(ex, cancellationToken))
        {
            MarkFailed(carried, outcome);
            return EventHubSendFailure.Classify(ex, carried.Count);
        }

        foreach (int index in carried)
        {
            outcome[index] = RecordOutcome.Written;
        }

        carried.Clear();
        return null;
    }

    private async Task<EventDataBatch> CreateBatchAsync(string deviceId, CancellationToken cancellationToken)
    {
        if (_maxBatchBytes is long cap && _batchBytes is null)
        {
            // The first batch, uncapped, tells the hub's own limit; the cap applies only below it.
            using EventDataBatch probe = await _producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = deviceId }, cancellationToken).ConfigureAwait(false);
            _batchBytes = Math.Min(cap, probe.MaximumSizeInBytes);
        }

        return await _producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = deviceId, MaximumSizeInBytes = _batchBytes }, cancellationToken).ConfigureAwait(false);
    }

    private static EventData Event(OutboxRecord record)
    {
        var data = new EventData(record.Body) { ContentType = ContentType };
        data.Properties["kind"] = record.ResourceType;
        data.Properties["deviceId"] = record.DeviceId;
        return data;
    }

    private static void MarkFailed(List<int> carried, RecordOutcome[] outcome)
    {
        foreach (int index in carried)
        {
            outcome[index] = RecordOutcome.Failed;
        }
    }

    /// <summary>The written records, then the others in batch order with why: too large, the failure, or not attempted.</summary>
    private static SinkResult Result(IReadOnlyList<OutboxRecord> batch, RecordOutcome[] outcome, SendFailureDetails? failure)
    {
        var succeeded = new List<OutboxRecord>(batch.Count);
        List<SinkRecordFailure>? failed = null;
        SendFailureDetails? tooLarge = null, skipped = null;
        for (int i = 0; i < batch.Count; i++)
        {
            SendFailureDetails details;
            switch (outcome[i])
            {
                case RecordOutcome.Written:
                    succeeded.Add(batch[i]);
                    continue;
                case RecordOutcome.TooLarge:
                    details = tooLarge ??= EventHubSendFailure.TooLarge();
                    break;
                case RecordOutcome.Failed:
                    details = failure!;
                    break;
                default:
                    details = skipped ??= new SendFailureDetails(SinkFailureKind.NotAttempted, "Not sent: an earlier send of the batch is retried first.");
                    break;
            }

            (failed ??= new List<SinkRecordFailure>(batch.Count - succeeded.Count)).Add(new SinkRecordFailure(batch[i], details));
        }

        return failed is null ? SinkResult.Success(batch) : new SinkResult(succeeded, failed);
    }

    /// <summary>One device's records of a batch, by index, in batch order.</summary>
    private sealed class DeviceRun(string deviceId)
    {
        public string DeviceId { get; } = deviceId;

        public List<int> Indexes { get; } = [];

        /// <summary>The batch's devices in the order each first appears.</summary>
        public static List<DeviceRun> Split(IReadOnlyList<OutboxRecord> batch)
        {
            var runs = new List<DeviceRun>();
            var byDevice = new Dictionary<string, DeviceRun>(StringComparer.Ordinal);
            for (int i = 0; i < batch.Count; i++)
            {
                string device = batch[i].DeviceId;
                if (!byDevice.TryGetValue(device, out DeviceRun? run))
                {
                    run = new DeviceRun(device);
                    byDevice.Add(device, run);
                    runs.Add(run);
                }

                run.Indexes.Add(i);
            }

            return runs;
        }
    }

    /// <summary>What became of one record of the batch; <see cref="NotAttempted"/> until a send says otherwise.</summary>
    private enum RecordOutcome : byte
    {
        NotAttempted,
        Written,
        TooLarge,
        Failed,
    }
}
