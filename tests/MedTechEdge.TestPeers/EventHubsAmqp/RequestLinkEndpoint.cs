using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// Takes requests sent to <c>$cbs</c> or <c>$management</c>, answers each on the client's reply link (found by the
/// request's reply-to), and correlates the answer with the request's message-id as the AMQP request/response pattern
/// of AMQP-CBS and AMQP management expects.
/// </summary>
internal sealed class RequestLinkEndpoint(PeerState state, string node) : LinkEndpoint
{
    public override void OnMessage(MessageContext messageContext)
    {
        Message request = messageContext.Message;
        Connection connection = messageContext.Link.Session.Connection;
        string? replyTo = request.Properties?.ReplyTo;
        if (!state.Replies.TryFind(connection, replyTo, out ListenerLink? replyLink))
        {
            state.Fault($"{node} request with reply-to '{replyTo}' matches no reply link");
            messageContext.Complete(new Error(ErrorCode.PreconditionFailed) { Description = $"no reply link for '{replyTo}'" });
            return;
        }

        Message response = node == PeerLinkProcessor.CbsNode
            ? CbsNode.Answer(state, connection, request)
            : ManagementNode.Answer(state, request);
        response.Properties ??= new Properties();
        response.Properties.SetCorrelationId(request.Properties!.GetMessageId());
        response.Properties.To = replyTo;
        messageContext.Complete();
        replyLink!.SendMessage(response);
    }

    public override void OnFlow(FlowContext flowContext)
    {
    }

    public override void OnDisposition(DispositionContext dispositionContext) => dispositionContext.Complete();
}
