using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// Decides what each attach is. The client's sender to <c>$cbs</c> or <c>$management</c> carries requests; its receiver
/// from the same node takes the replies; its sender to <c>/HUB</c> or <c>/HUB/Partitions/N</c> publishes events; its
/// receiver from <c>HUB/ConsumerGroups/GROUP/Partitions/N</c> reads one partition. Anything else is refused with amqp:not-found, as the service refuses an unknown entity.
/// </summary>
internal sealed class PeerLinkProcessor(PeerState state) : ILinkProcessor
{
    public const string CbsNode = "$cbs";
    public const string ManagementNode = "$management";

    // A send link gets this much credit; the listener restores it as deliveries settle.
    private const int SendCredit = 100;

    public void Process(AttachContext attachContext)
    {
        Attach attach = attachContext.Attach;
        string? target = (attach.Target as Target)?.Address;
        string? source = (attach.Source as Source)?.Address;
        Connection connection = attachContext.Link.Session.Connection;
        state.Track(connection);

        // AMQP 1.0 section 2.7.3: role false is the sender, true the receiver, from the attaching side's view.
        if (!attach.Role)
        {
            if (target is CbsNode or ManagementNode)
            {
                attachContext.Complete(new RequestLinkEndpoint(state, target), SendCredit);
                return;
            }

            if (TryParseSendAddress(target, out int? partition))
            {
                if (!state.IsAuthorized(connection))
                {
                    attachContext.Complete(new Error(ErrorCode.UnauthorizedAccess) { Description = "no valid put-token on this connection" });
                    return;
                }

                // The SDK's CreateBatchAsync takes its size limit from this field of the attach we answer with.
                attach.MaxMessageSize = state.Options.MaxMessageSize;
                attachContext.Complete(new SendLinkEndpoint(state, partition), SendCredit);
                return;
            }
        }
        else if (source is CbsNode or ManagementNode)
        {
            state.Replies.Register(connection, attach.LinkName, target, attachContext.Link);
            attachContext.Complete(new ReplyLinkEndpoint(state.Replies, connection), 0);
            return;
        }
        else if (TryParseReceiveAddress(source, out string? group, out int receivePartition))
        {
            ReceiveLinkAttach.Process(state, attachContext, group!, receivePartition);
            return;
        }

        state.Fault($"unexpected attach: role {(attach.Role ? "receiver" : "sender")}, source '{source}', target '{target}'");
        attachContext.Complete(new Error(ErrorCode.NotFound) { Description = $"no entity at '{target ?? source}'" });
    }

    /// <summary>Accepts <c>HUB/ConsumerGroups/GROUP/Partitions/N</c>, with or without a leading slash; the group is checked later.</summary>
    private bool TryParseReceiveAddress(string? address, out string? group, out int partition)
    {
        group = null;
        partition = -1;
        string[] parts = address?.TrimStart('/').Split('/') ?? [];
        if (parts.Length != 5 || !parts[0].Equals(state.Options.Hub, StringComparison.OrdinalIgnoreCase)
            || !parts[1].Equals("ConsumerGroups", StringComparison.OrdinalIgnoreCase)
            || !parts[3].Equals("Partitions", StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(parts[4], out partition) || (uint)partition >= (uint)state.Options.PartitionCount)
        {
            return false;
        }

        group = parts[2];
        return true;
    }

    /// <summary>Accepts <c>/HUB</c> and <c>/HUB/Partitions/N</c> (the .NET SDK's leading slash is optional here).</summary>
    private bool TryParseSendAddress(string? address, out int? partition)
    {
        partition = null;
        if (address is null)
        {
            return false;
        }

        string[] parts = address.TrimStart('/').Split('/');
        if (!parts[0].Equals(state.Options.Hub, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (parts.Length == 1)
        {
            return true;
        }

        if (parts.Length == 3 && parts[1].Equals("Partitions", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(parts[2], out int n) && (uint)n < (uint)state.Options.PartitionCount)
        {
            partition = n;
            return true;
        }

        return false;
    }
}
