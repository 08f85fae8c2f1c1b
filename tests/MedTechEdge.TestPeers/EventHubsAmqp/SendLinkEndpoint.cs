using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// The peer's end of a client's send link. A delivery is either one event or a batch: message format
/// <c>0x80013700</c>, whose Data sections each hold one encoded AMQP message (the Event Hubs batch format). A delivery
/// lands on one partition as a whole, so a batch keeps its order.
/// </summary>
internal sealed class SendLinkEndpoint(PeerState state, int? linkPartition) : LinkEndpoint
{
    public const uint BatchFormat = 0x80013700;

    private static readonly Symbol s_partitionKey = new(EventMessage.PartitionKey);

    public override void OnMessage(MessageContext messageContext)
    {
        if (state.IsStopped)
        {
            messageContext.Complete(new Error(ErrorCode.ConnectionForced) { Description = "the test peer stopped" });
            return;
        }

        if (state.TakeRefusal() is string condition)
        {
            messageContext.Complete(new Error(condition) { Description = "refused by the test (transient)" });
            return;
        }

        Message message = messageContext.Message;
        var incoming = new List<IncomingEvent>();
        if (message.Format == BatchFormat)
        {
            foreach (Data section in Sections(message))
            {
                byte[] bytes = section.Binary;
                incoming.Add(ToIncoming(Message.Decode(new ByteBuffer(bytes, 0, bytes.Length, bytes.Length))));
            }
        }
        else
        {
            incoming.Add(ToIncoming(message));
        }

        if (incoming.Count == 0)
        {
            state.Fault("an empty batch");
            messageContext.Complete(new Error(ErrorCode.DecodeError) { Description = "an empty batch" });
            return;
        }

        // The SDK stamps the batch's key on the envelope and on each event; the envelope's wins.
        string? key = PartitionKey(message) ?? incoming[0].PartitionKey;
        state.Log.Append(state.Log.Route(linkPartition, key), incoming);
        state.Delivered();
        messageContext.Complete();
    }

    public override void OnFlow(FlowContext flowContext)
    {
    }

    public override void OnDisposition(DispositionContext dispositionContext) => dispositionContext.Complete();

    private static IEnumerable<Data> Sections(Message message) => message.BodySection switch
    {
        Data one => [one],
        DataList many => Enumerable.Range(0, many.Count).Select(i => many[i]),
        _ => [],
    };

    private static IncomingEvent ToIncoming(Message message)
    {
        byte[] body = message.BodySection switch
        {
            Data one => one.Binary,
            DataList many => [.. Enumerable.Range(0, many.Count).SelectMany(i => many[i].Binary)],
            _ => [],
        };

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (message.ApplicationProperties is { } applicationProperties)
        {
            foreach (KeyValuePair<object, object> entry in applicationProperties.Map)
            {
                properties[entry.Key.ToString()!] = entry.Value;
            }
        }

        // The annotations the event came with stay with it (IoT Hub's iothub-* ones, say); the system values the
        // partition gives it replace any it claimed.
        var annotations = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (message.MessageAnnotations is { } messageAnnotations)
        {
            foreach (KeyValuePair<object, object> entry in messageAnnotations.Map)
            {
                string name = entry.Key.ToString()!;
                if (!EventMessage.IsStamped(name))
                {
                    annotations[name] = entry.Value;
                }
            }
        }

        return new IncomingEvent(PartitionKey(message), body, message.Properties?.ContentType, properties, annotations);
    }

    private static string? PartitionKey(Message message) =>
        message.MessageAnnotations is { } annotations && annotations.Map.TryGetValue(s_partitionKey, out object? key)
            ? key as string
            : null;
}
