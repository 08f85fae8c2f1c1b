using Amqp.Framing;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// Exclusive readers by owner level (the link property <c>com.microsoft:epoch</c>), per consumer group and partition,
/// as Event Hubs enforces them and as the SDKs' load balancing relies on: a receiver with a higher level takes the
/// partition and the service detaches the lower ones with <c>amqp:link:stolen</c> (the .NET SDK's
/// <c>FailureReason.ConsumerDisconnected</c>); a receiver lower than the holder is refused with the same condition. A
/// receiver without a level counts as lower than any level; receivers at the same level share.
/// </summary>
internal sealed class PartitionOwners
{
    public const string Stolen = "amqp:link:stolen";

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Group, int Partition), List<ReceiveLinkEndpoint>> _readers = [];

    /// <summary>
    /// Admits <paramref name="reader"/>, or returns the error to refuse it with. <paramref name="superseded"/> gets the
    /// readers it displaces; the caller detaches them after the new link is attached.
    /// </summary>
    public Error? Admit(string group, int partition, ReceiveLinkEndpoint reader, out List<ReceiveLinkEndpoint> superseded)
    {
        superseded = [];
        lock (_lock)
        {
            if (!_readers.TryGetValue((group, partition), out List<ReceiveLinkEndpoint>? readers))
            {
                _readers[(group, partition)] = readers = [];
            }

            foreach (ReceiveLinkEndpoint holder in readers)
            {
                if (Rank(holder.OwnerLevel) > Rank(reader.OwnerLevel))
                {
                    return new Error(Stolen)
                    {
                        Description = $"a receiver with owner level {holder.OwnerLevel} holds partition {partition} of consumer group '{group}'; owner level {Describe(reader.OwnerLevel)} cannot read it",
                    };
                }
            }

            foreach (ReceiveLinkEndpoint holder in readers)
            {
                if (Rank(holder.OwnerLevel) < Rank(reader.OwnerLevel))
                {
                    superseded.Add(holder);
                }
            }

            readers.RemoveAll(superseded.Contains);
            readers.Add(reader);
            return null;
        }
    }

    public void Release(string group, int partition, ReceiveLinkEndpoint reader)
    {
        lock (_lock)
        {
            if (_readers.TryGetValue((group, partition), out List<ReceiveLinkEndpoint>? readers))
            {
                readers.Remove(reader);
            }
        }
    }

    // Any level outranks none.
    private static decimal Rank(long? ownerLevel) => ownerLevel ?? (decimal)long.MinValue - 1;

    private static string Describe(long? ownerLevel) => ownerLevel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)";
}
