using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>The peer's end of a client's reply receiver: replies go out through <see cref="ReplyLinks"/>; nothing comes in.</summary>
internal sealed class ReplyLinkEndpoint(ReplyLinks replies, Connection connection) : LinkEndpoint
{
    public override void OnMessage(MessageContext messageContext) =>
        messageContext.Complete(new Error(ErrorCode.NotAllowed) { Description = "a reply link does not take messages" });

    // Replies are sent regardless of credit: the SDKs grant credit on attach and one reply answers one request.
    public override void OnFlow(FlowContext flowContext)
    {
    }

    public override void OnDisposition(DispositionContext dispositionContext) => dispositionContext.Complete();

    public override void OnLinkClosed(ListenerLink link, Error error) => replies.Remove(connection, link);
}
