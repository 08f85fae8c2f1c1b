using System.Collections.Concurrent;
using Amqp;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>What the peer's links share: the hub's options and log, token checks, authorized connections, refusals.</summary>
internal sealed class PeerState(EventHubsAmqpPeerOptions options)
{
    private readonly ConcurrentDictionary<Connection, bool> _authorized = new();
    private readonly ConcurrentQueue<string> _faults = new();
    private readonly Lock _lock = new();
    private int _refusalsLeft;
    private string _refusalCondition = "";
    private int _refusedSends;
    private readonly ConcurrentQueue<string> _tokenRefusals = new();
    private readonly ConcurrentQueue<string> _receiveFilters = new();

    public EventHubsAmqpPeerOptions Options { get; } = options;

    public PartitionLog Log { get; } = new(options);

    public SharedAccessSignatureValidator Tokens { get; } = new(options);

    public ReplyLinks Replies { get; } = new();

    public PartitionOwners Owners { get; } = new();

    public DateTimeOffset CreatedAt { get; } = options.Clock.GetUtcNow();

    public IReadOnlyCollection<string> Faults => [.. _faults];

    public int RefusedSends => Volatile.Read(ref _refusedSends);

    public IReadOnlyCollection<string> TokenRefusals => [.. _tokenRefusals];

    public IReadOnlyCollection<string> ReceiveFilters => [.. _receiveFilters];

    public void RecordReceiveFilter(string expression) => _receiveFilters.Enqueue(expression);

    public void Authorize(Connection connection)
    {
        // Forget the connection when it closes, so a long-lived peer does not keep every client's connection.
        if (_authorized.TryAdd(connection, true))
        {
            connection.AddClosedCallback((sender, error) => _authorized.TryRemove(connection, out _));
        }
    }

    public bool IsAuthorized(Connection connection) => _authorized.ContainsKey(connection);

    public void RefuseToken(string reason) => _tokenRefusals.Enqueue(reason);

    /// <summary>Something a conforming client should never cause; tests assert there are none.</summary>
    public void Fault(string description) => _faults.Enqueue(description);

    public void RefuseSends(int count, string condition)
    {
        lock (_lock)
        {
            _refusalsLeft = count;
            _refusalCondition = condition;
        }
    }

    /// <summary>The error condition to refuse this delivery with, or null to take it.</summary>
    public string? TakeRefusal()
    {
        lock (_lock)
        {
            if (_refusalsLeft == 0)
            {
                return null;
            }

            _refusalsLeft--;
            _refusedSends++;
            return _refusalCondition;
        }
    }
}
