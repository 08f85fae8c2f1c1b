using MedTechEdge.EventHubs;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// Sends resources upstream to Azure Event Hubs (REST), where a cloud service takes over. The partition key is the
/// device id, so each device's events stay in order; each event carries <c>kind</c> (<c>Measurement</c>,
/// <c>DeviceMessage</c>, or the FHIR resource type) and <c>deviceId</c> as application properties. Delivery is at least once: when a batch spans devices and one device's publication fails,
/// the whole batch stays in the outbox and the devices already sent are sent again on the retry.
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
        var events = new List<EventData>(batch.Count);
        while (start < batch.Count)
        {
            string device = batch[start].DeviceId;
            events.Clear();
            int end = start;
            while (end < batch.Count && batch[end].DeviceId == device)
            {
                OutboxRecord record = batch[end];
                events.Add(new EventData(record.Body, new Dictionary<string, string>(2, StringComparer.Ordinal)
                {
                    ["kind"] = record.ResourceType,
                    ["deviceId"] = record.DeviceId,
                }));
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
                    return new SinkResult(SinkOutcome.Transient, "Event Hubs configuration error (check the connection string and its Send claim, or the identity's Azure Event Hubs Data Sender role): " + result.Error);
                case EventHubsSendOutcome.Rejected:
                    return new SinkResult(SinkOutcome.Rejected, result.Error);
                default:
                    return new SinkResult(SinkOutcome.Transient, result.Error);
            }

            start = end;
        }

        ConfigurationError = null;
        return SinkResult.Success;
    }
}
