using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// The peer's end of a client's receive link on one partition of one consumer group. It sends the stored events from
/// its start position on, then each new one as it is appended, never more than the client's link credit allows: the
/// listener gives only the credit each flow adds, so the endpoint keeps the running count itself. Deliveries go out
/// settled or unsettled as the client's attach asked.
/// </summary>
internal sealed class ReceiveLinkEndpoint : LinkEndpoint
{
    private readonly PeerState _state;
    private readonly int _partition;
    private readonly Lock _lock = new();
    private ListenerLink? _link;
    private long _next;
    private long _credit;
    private bool _closed;

    public ReceiveLinkEndpoint(PeerState state, string consumerGroup, int partition, long? ownerLevel)
    {
        _state = state;
        _partition = partition;
        ConsumerGroup = consumerGroup;
        OwnerLevel = ownerLevel;
    }

    public string ConsumerGroup { get; }

    public long? OwnerLevel { get; }

    /// <summary>Starts sending once the attach is answered: from <paramref name="firstSequenceNumber"/>, on <paramref name="link"/>.</summary>
    public void Start(ListenerLink link, long firstSequenceNumber)
    {
        lock (_lock)
        {
            _link = link;
            _next = firstSequenceNumber;
        }

        _state.Log.Appended += OnAppended;
        Pump();
    }

    /// <summary>Detaches the link because a receiver with a higher owner level took the partition.</summary>
    public void Supersede(long? byOwnerLevel)
    {
        ListenerLink? link;
        lock (_lock)
        {
            // Nothing more is sent on it from here, though its detach completes later (OnLinkClosed).
            _closed = true;
            link = _link;
        }

        link?.Close(TimeSpan.Zero, new Error(PartitionOwners.Stolen)
        {
            Description = $"a receiver with owner level {byOwnerLevel} took partition {_partition} of consumer group '{ConsumerGroup}'",
        });
    }

    public override void OnMessage(MessageContext messageContext) =>
        messageContext.Complete(new Error(ErrorCode.NotAllowed) { Description = "a receive link does not take messages" });

    public override void OnFlow(FlowContext flowContext)
    {
        lock (_lock)
        {
            _credit += flowContext.Messages;
        }

        Pump();
    }

    public override void OnDisposition(DispositionContext dispositionContext) => dispositionContext.Complete();

    public override void OnLinkClosed(ListenerLink link, Error error)
    {
        lock (_lock)
        {
            _closed = true;
        }

        _state.Log.Appended -= OnAppended;
        _state.Owners.Release(ConsumerGroup, _partition, this);
    }

    private void OnAppended(int partition)
    {
        if (partition == _partition)
        {
            Pump();
        }
    }

    // The lock spans the send, so two pumps (a flow and an append at once) cannot send one event twice or out of order.
    private void Pump()
    {
        lock (_lock)
        {
            while (!_closed && _link is not null && _credit > 0 && _state.Log.At(_partition, _next) is { } next)
            {
                try
                {
                    _link.SendMessage(EventMessage.From(next));
                }
                catch (AmqpException)
                {
                    // The link is detaching; OnLinkClosed follows.
                    return;
                }

                _next++;
                _credit--;
            }
        }
    }
}
