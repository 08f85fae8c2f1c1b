using System.Collections.Concurrent;
using Amqp;
using Amqp.Listener;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// The client receivers that take <c>$cbs</c> and <c>$management</c> replies, per connection. A request's reply-to is
/// looked up under both the receiver's link name and its target address: the Node SDK sets reply-to to the link name,
/// the .NET SDK to the address (see ../shared/research/eventhubs-amqp.md).
/// </summary>
internal sealed class ReplyLinks
{
    private readonly ConcurrentDictionary<(Connection Connection, string Key), ListenerLink> _links = new();

    public void Register(Connection connection, string linkName, string? targetAddress, ListenerLink link)
    {
        _links[(connection, linkName)] = link;
        if (targetAddress is not null)
        {
            _links[(connection, targetAddress)] = link;
        }
    }

    public bool TryFind(Connection connection, string? replyTo, out ListenerLink? link)
    {
        link = null;
        return replyTo is not null && _links.TryGetValue((connection, replyTo), out link);
    }

    public void Remove(Connection connection, ListenerLink link)
    {
        foreach (KeyValuePair<(Connection Connection, string Key), ListenerLink> entry in _links)
        {
            if (entry.Key.Connection == connection && entry.Value == link)
            {
                _links.TryRemove(entry.Key, out _);
            }
        }
    }
}
