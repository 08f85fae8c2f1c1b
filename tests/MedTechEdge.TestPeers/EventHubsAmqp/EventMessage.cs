using Amqp;
using Amqp.Framing;
using Amqp.Types;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// A stored event as a receiver gets it: the body as one Data section, the sender's content type and application
/// properties, and the message annotations the service adds (<c>x-opt-sequence-number</c>, <c>x-opt-offset</c> as a
/// string, <c>x-opt-enqueued-time</c>, <c>x-opt-partition-key</c> when set) after the ones the event arrived with. The
/// SDKs surface the annotations as the event's system properties.
/// </summary>
internal static class EventMessage
{
    public const string SequenceNumber = "x-opt-sequence-number";
    public const string Offset = "x-opt-offset";
    public const string EnqueuedTime = "x-opt-enqueued-time";
    public const string PartitionKey = "x-opt-partition-key";

    /// <summary>True for the annotations the peer stamps itself, which an arriving event's copy must not override.</summary>
    public static bool IsStamped(string name) =>
        name is SequenceNumber or Offset or EnqueuedTime or PartitionKey;

    public static Message From(EventHubsRecordedEvent e)
    {
        var message = new Message { BodySection = new Data { Binary = e.Body } };
        if (e.ContentType is not null)
        {
            message.Properties = new Properties { ContentType = e.ContentType };
        }

        if (e.Properties.Count > 0)
        {
            message.ApplicationProperties = new ApplicationProperties();
            foreach (KeyValuePair<string, object?> property in e.Properties)
            {
                message.ApplicationProperties[property.Key] = property.Value;
            }
        }

        var annotations = new MessageAnnotations();
        foreach (KeyValuePair<string, object?> annotation in e.Annotations)
        {
            annotations[new Symbol(annotation.Key)] = annotation.Value;
        }

        annotations[new Symbol(SequenceNumber)] = e.SequenceNumber;
        annotations[new Symbol(Offset)] = e.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        annotations[new Symbol(EnqueuedTime)] = e.EnqueuedTime.UtcDateTime;
        if (e.PartitionKey is not null)
        {
            annotations[new Symbol(PartitionKey)] = e.PartitionKey;
        }

        message.MessageAnnotations = annotations;
        return message;
    }
}
