using MedTechEdge.Mqtt.Client;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;

namespace MedTechEdge.IotEdge;

/// <summary>
/// Sink <c>EdgeHub</c>: each record goes out on a module output (<c>normalized</c> for measurements,
/// <c>observations</c> for FHIR resources) and an IoT Edge route such as
/// <c>FROM /messages/modules/MedTechEdge/outputs/normalized INTO $upstream</c> carries it to IoT Hub, with edgeHub's
/// own store-and-forward while the uplink is down. A record leaves the outbox only once edgeHub acknowledged it
/// (PUBACK); the records sent before a failure count as written, the rest waits in the store.
/// </summary>
internal sealed class EdgeHubSink(EdgeModuleClient client, string output) : IResourceSink
{
    public string Name => "edgehub";

    public async Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var properties = new Dictionary<string, string>(2, StringComparer.Ordinal);
        for (int i = 0; i < batch.Count; i++)
        {
            OutboxRecord record = batch[i];
            properties["kind"] = record.ResourceType;
            properties["deviceId"] = record.DeviceId;
            try
            {
                // One at a time, in outbox order: a device's records reach edgeHub in the order they were made.
                if (!await client.SendOutputAsync(output, record.Body, properties, cancellationToken).ConfigureAwait(false))
                {
                    return SinkResult.Split(batch, i, new SendFailureDetails(SinkFailureKind.Transient, $"edgeHub refused the message on output '{output}'."));
                }
            }
            catch (MqttNotConnectedException ex)
            {
                return SinkResult.Split(batch, i, new SendFailureDetails(SinkFailureKind.Transient, "edgeHub is not reachable: " + ex.Message));
            }
            catch (TimeoutException ex)
            {
                return SinkResult.Split(batch, i, new SendFailureDetails(SinkFailureKind.Transient, "edgeHub did not acknowledge in time: " + ex.Message));
            }
        }

        return SinkResult.Success(batch);
    }
}
