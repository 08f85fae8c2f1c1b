using MedTechEdge.EventHubs;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Sends resources upstream to Azure Event Hubs (REST), where a cloud service takes over. The partition key is the
/// device id, so each device's events stay in order; each event carries <c>kind</c> (<c>Measurement</c>,
/// <c>DeviceMessage</c>, or the FHIR resource type) and <c>deviceId</c> as application properties.
/// Delivery is at least once. The batch is sent in runs of one device, in order; when a run fails
/// for a reason that is retried, the devices already sent are reported written and the rest waits, so nothing is sent
/// twice for that reason. A refused run is sent again event by event to find the one Event Hubs refuses.
/// </summary>
public sealed class EventHubSink(EventHubsClient client) : IResourceSink
{
    /// <inheritdoc/>
    public string Name => "eventhub";

    /// <summary>The last configuration error (401/403/404), for status; null once a send succeeds again.</summary>
    public string? ConfigurationError { get; private set; }

    /// <inheritdoc/>
    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Runs of one device, in outbox order: one partition key per send.
        int start = 0;
        List<SinkRecordFailure>? rejected = null;
        var events = new List<EventData>(batch.Count);
        while (start < batch.Count)
        {
            string device = batch[start].DeviceId;
            events.Clear();
            int end = start;
            while (end < batch.Count && batch[end].DeviceId == device)
            {
                events.Add(Event(batch[end]));
                end++;
            }

            EventHubsSendResult result = await client.SendAsync(device, events, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case EventHubsSendOutcome.Succeeded:
                    break;
                case EventHubsSendOutcome.ConfigurationError:
                    // The data is fine: it waits in the store while an operator fixes the settings.
                    ConfigurationError = result.Error;
                    return Stopped(batch, start, rejected, new SendFailureDetails(SinkFailureKind.Unauthorized, "Event Hubs configuration error (check the connection string and its Send claim, or the identity's Azure Event Hubs Data Sender role): " + result.Error));
                case EventHubsSendOutcome.Rejected when end - start == 1:
                    // One event refused (above the publication limit): never sendable; the devices after it go on.
                    rejected ??= [];
                    rejected.Add(new SinkRecordFailure(batch[start], new SendFailureDetails(SinkFailureKind.InvalidInput, result.Error ?? "Rejected by Event Hubs.")));
                    break;
                case EventHubsSendOutcome.Rejected:
                    // A run of events refused: send them one by one (same partition key, in order) to find the refused one.
                    for (int i = start; i < end; i++)
                    {
                        events.Clear();
                        events.Add(Event(batch[i]));
                        EventHubsSendResult single = await client.SendAsync(device, events, cancellationToken).ConfigureAwait(false);
                        if (single.Outcome == EventHubsSendOutcome.Rejected)
                        {
                            rejected ??= [];
                            rejected.Add(new SinkRecordFailure(batch[i], new SendFailureDetails(SinkFailureKind.InvalidInput, single.Error ?? "Rejected by Event Hubs.")));
                        }
                        else if (single.Outcome != EventHubsSendOutcome.Succeeded)
                        {
                            return Stopped(batch, i, rejected, new SendFailureDetails(SinkFailureKind.Transient, single.Error ?? "Event Hubs is unavailable."));
                        }
                    }

                    break;
                default:
                    return Stopped(batch, start, rejected, new SendFailureDetails(SinkFailureKind.Transient, result.Error ?? "Event Hubs is unavailable."));
            }

            start = end;
        }

        ConfigurationError = null;
        return rejected is null ? SinkResult.Success(batch) : Stopped(batch, batch.Count, rejected, null);
    }

    private static EventData Event(OutboxRecord record) => new(record.Body, new Dictionary<string, string>(2, StringComparer.Ordinal)
    {
        ["kind"] = record.ResourceType,
        ["deviceId"] = record.DeviceId,
    });

    /// <summary>
    /// Records before <paramref name="stop"/> written except the refused ones; from <paramref name="stop"/> on, not
    /// written, for <paramref name="details"/> (null: none left).
    /// </summary>
    private static SinkResult Stopped(IReadOnlyList<OutboxRecord> batch, int stop, List<SinkRecordFailure>? rejected, SendFailureDetails? details)
    {
        var succeeded = new List<OutboxRecord>(stop);
        var failed = new List<SinkRecordFailure>((rejected?.Count ?? 0) + batch.Count - stop);
        for (int i = 0; i < stop; i++)
        {
            if (rejected is null || !rejected.Exists(r => ReferenceEquals(r.Record, batch[i])))
            {
                succeeded.Add(batch[i]);
            }
        }

        if (rejected is not null)
        {
            failed.AddRange(rejected);
        }

        for (int i = stop; i < batch.Count; i++)
        {
            failed.Add(new SinkRecordFailure(batch[i], details!));
        }

        return new SinkResult(succeeded, failed);
    }
}
