using System.Threading.Tasks.Sources;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;

namespace MedTechEdge.Ingress;

/// <summary>
/// One inbox commit seen as the MQTT ingest result of every message in it: the broker awaits this and sends the
/// PUBACK / PUBREC. One per commit, not per message, so a batch of publishes costs one completion per connection.
/// Never faults: a failed commit becomes the reason code the device gets.
/// </summary>
internal sealed class CommitResultSource(InboxCommit commit, MqttIngressHandler handler) : IValueTaskSource<MqttIngestResult>
{
    /// <summary>The source attached to <paramref name="commit"/>, made on first use.</summary>
    public static CommitResultSource For(InboxCommit commit, MqttIngressHandler handler)
    {
        // Two connections may race to attach one; either serves, since both only read the commit.
        if (commit.Attachment is not CommitResultSource source)
        {
            source = new CommitResultSource(commit, handler);
            commit.Attachment = source;
        }

        return source;
    }

    public ValueTaskSourceStatus GetStatus(short token) =>
        commit.IsCompleted ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;

    public MqttIngestResult GetResult(short token)
    {
        if (!commit.IsCompleted)
        {
            throw new InvalidOperationException("The commit is still pending.");
        }

        return commit.Error switch
        {
            null => handler.OnCommitted(),
            StoreFullException full => handler.OnStoreFull(full),
            // Not durable, so not acknowledged: MQTT 5.0 §3.4.2.1 0x80 Unspecified error; the device resends.
            _ => MqttIngestResult.Failed(MqttPubAckReasonCode.UnspecifiedError),
        };
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        ((IValueTaskSource)commit).OnCompleted(continuation, state, token, flags);
}
