using System.Collections.Concurrent;
using Amqp;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>What the peer's links share: the hub's options and log, token checks, authorized connections, refusals.</summary>
internal sealed class PeerState(EventHubsAmqpPeerOptions options)
{
    private readonly ConcurrentDictionary<Connection, bool> _authorized = new();
    private readonly ConcurrentDictionary<Connection, bool> _open = new();
    private readonly ConcurrentQueue<string> _faults = new();
    private readonly Lock _lock = new();
    private int _refusalsLeft;
    private string _refusalCondition = "";
    private int _refusedSends;
    private int _deliveries;
    private bool _stopped;
    private readonly ConcurrentQueue<string> _tokenRefusals = new();
    private readonly ConcurrentQueue<string> _receiveFilters = new();

    public EventHubsAmqpPeerOptions Options { get; } = options;

    public PartitionLog Log { get; } = new(options);

    public TokenValidator Tokens { get; } = new(options);

    public ReplyLinks Replies { get; } = new();

    public PartitionOwners Owners { get; } = new();

    public DateTimeOffset CreatedAt { get; } = options.Clock.GetUtcNow();

    public IReadOnlyCollection<string> Faults => [.. _faults];

    public int RefusedSends => Volatile.Read(ref _refusedSends);

    public int Deliveries => Volatile.Read(ref _deliveries);

    /// <summary>Counts a delivery a send link stored (one event, or a whole batch).</summary>
    public void Delivered() => Interlocked.Increment(ref _deliveries);

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

    /// <summary>Remembers a client's connection (at its first attach), so an outage can close it.</summary>
    public void Track(Connection connection)
    {
        if (_open.TryAdd(connection, true))
        {
            connection.AddClosedCallback((sender, error) => _open.TryRemove(connection, out _));
        }
    }

    /// <summary>True between a stop and the next start: a hub that is down stores nothing.</summary>
    public bool IsStopped
    {
        get => Volatile.Read(ref _stopped);
        set => Volatile.Write(ref _stopped, value);
    }

    /// <summary>Closes every client connection with amqp:connection:forced, as a hub going down does.</summary>
    public void CloseConnections()
    {
        foreach (Connection connection in _open.Keys)
        {
            // Zero wait: the close frame goes out and the socket closes, whether or not the client answers.
            connection.Close(TimeSpan.Zero, new Amqp.Framing.Error(ErrorCode.ConnectionForced) { Description = "the test peer stopped" });
            _open.TryRemove(connection, out _);
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
