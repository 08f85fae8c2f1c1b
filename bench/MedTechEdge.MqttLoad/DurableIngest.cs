using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;

namespace MedTechEdge.MqttLoad;

/// <summary>The module's ingest contract without the rest of the pipeline: commit to the inbox, then acknowledge.</summary>
internal sealed class DurableIngest(InboxWriter inbox) : IMqttIngestHandler
{
    public async ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken)
    {
        await inbox.AppendAsync(new InboxMessage
        {
            ReceivedUtc = message.ReceivedAt.UtcDateTime,
            Source = "mqtt",
            DeviceId = message.DeviceId,
            Topic = message.Topic,
            Body = message.Payload.ToArray(),
        }, CancellationToken.None).ConfigureAwait(false); // as the module's ingress: the commit is not cancelled with the connection
        return MqttIngestResult.Accepted;
    }
}
