namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// All subscriptions of all sessions as a copy-on-write array: routing (hot, every PUBLISH) reads a snapshot without
/// locking; SUBSCRIBE / UNSUBSCRIBE (rare) copy under a lock. Matching is a linear scan, which is cheap for the tens of
/// subscriptions a bedside gateway sees; a topic tree would pay off only with thousands.
/// </summary>
internal sealed class MqttSubscriptionIndex
{
    private readonly Lock _lock = new();
    private MqttSubscription[] _all = [];

    public MqttSubscription[] Snapshot => Volatile.Read(ref _all);

    /// <summary>Adds or replaces the session's subscription with the same full filter [MQTT-3.8.4-3]. Returns true when it is new.</summary>
    public bool AddOrReplace(MqttSubscription subscription)
    {
        lock (_lock)
        {
            MqttSubscription[] current = _all;
            for (int i = 0; i < current.Length; i++)
            {
                if (current[i].Session == subscription.Session && current[i].FullFilter == subscription.FullFilter)
                {
                    var replaced = (MqttSubscription[])current.Clone();
                    replaced[i] = subscription;
                    Volatile.Write(ref _all, replaced);
                    return false;
                }
            }

            var added = new MqttSubscription[current.Length + 1];
            current.CopyTo(added, 0);
            added[^1] = subscription;
            Volatile.Write(ref _all, added);
            return true;
        }
    }

    public bool Remove(MqttServerSession session, string fullFilter)
    {
        lock (_lock)
        {
            int index = Array.FindIndex(_all, s => s.Session == session && s.FullFilter == fullFilter);
            if (index < 0)
            {
                return false;
            }

            var list = new List<MqttSubscription>(_all);
            list.RemoveAt(index);
            Volatile.Write(ref _all, list.ToArray());
            return true;
        }
    }

    public void RemoveAll(MqttServerSession session)
    {
        lock (_lock)
        {
            Volatile.Write(ref _all, Array.FindAll(_all, s => s.Session != session));
        }
    }
}
