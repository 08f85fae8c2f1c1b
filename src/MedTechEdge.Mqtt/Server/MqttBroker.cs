using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Security;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// The broker's shared state: sessions by client id, the subscription index and retained messages, plus routing.
/// Connections call in from many threads; session attach/detach is serialized by one lock, routing is lock-free
/// over a subscription snapshot.
/// </summary>
internal sealed partial class MqttBroker
{
    private readonly Lock _sessionsLock = new();
    private readonly Dictionary<string, MqttServerSession> _sessions = new(StringComparer.Ordinal);
    private readonly MqttSubscriptionIndex _subscriptions = new();
    private readonly MqttRetainedStore _retained = new();
    private readonly string[] _ingestFilters;
    private readonly long _startedTimestamp;
    private int _sharedRoundRobin;

    public MqttBroker(MqttServerOptions options, IMqttIngestHandler? ingestHandler, MqttServerStatistics statistics, ILogger logger, MqttServerSecurity security)
    {
        Options = options;
        Security = security;
        IngestHandler = ingestHandler;
        Statistics = statistics;
        Logger = logger;
        _ingestFilters = [.. options.IngestTopicFilters];
        _startedTimestamp = options.TimeProvider.GetTimestamp();
    }

    public MqttServerOptions Options { get; }

    public IMqttIngestHandler? IngestHandler { get; }

    public MqttServerSecurity Security { get; }

    public MqttServerStatistics Statistics { get; }

    /// <summary>Every connection's read and write segments, counted (<see cref="MqttServerStatistics.ConnectionBufferBytes"/>).</summary>
    public Transport.MqttBufferPool BufferPool => Statistics.BufferPool;

    public ILogger Logger { get; }

    public MqttRetainedStore Retained => _retained;

    /// <summary>
    /// Now, for Message Expiry (MQTT 5.0 §3.3.2.3.3): ticks on the options' clock since the broker started. Monotonic,
    /// so a wall-clock change neither expires nor revives a message; never 0, which <see cref="MqttStoredMessage"/>
    /// reads as "never expires".
    /// </summary>
    public long NowTicks => TimeSpan.TicksPerSecond + Options.TimeProvider.GetElapsedTime(_startedTimestamp).Ticks;

    public bool IsIngestTopic(string topic)
    {
        if (IngestHandler is null)
        {
            return false;
        }

        foreach (string filter in _ingestFilters)
        {
            if (MqttTopic.Matches(topic, filter))
            {
                return true;
            }
        }

        return false;
    }

    public bool Subscribe(MqttSubscription subscription) => _subscriptions.AddOrReplace(subscription);

    public bool Unsubscribe(MqttServerSession session, string fullFilter) => _subscriptions.Remove(session, fullFilter);

    /// <summary>
    /// Routes a received PUBLISH. The payload is copied out of the pooled packet only when the message is retained or
    /// some subscription matches: device telemetry that only goes to the ingest handler costs no copy here.
    /// </summary>
    public void RoutePublish(MqttPublishPacket packet, string senderClientId)
    {
        if (packet.Retain || HasMatch(packet.Topic))
        {
            Route(new MqttStoredMessage(packet, senderClientId, NowTicks));
        }
    }

    private bool HasMatch(string topic)
    {
        foreach (MqttSubscription subscription in _subscriptions.Snapshot)
        {
            if (MqttTopic.Matches(topic, subscription.Filter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Sends a message to every matching subscription and updates the retained store. Returns the number of sessions
    /// it was queued for. One copy per session with the highest matching QoS [MQTT-3.3.4-2]; one member per shared
    /// group, round robin (MQTT 5.0 §4.8.2).
    /// </summary>
    public int Route(MqttStoredMessage message)
    {
        if (message.Retain)
        {
            _retained.Update(message);
        }

        MqttSubscription[] all = _subscriptions.Snapshot;
        List<MqttSubscription>? matches = null;
        Dictionary<string, List<MqttSubscription>>? groups = null;
        foreach (MqttSubscription subscription in all)
        {
            if (!MqttTopic.Matches(message.Topic, subscription.Filter))
            {
                continue;
            }

            if (subscription.ShareName is not null)
            {
                groups ??= new Dictionary<string, List<MqttSubscription>>(StringComparer.Ordinal);
                string key = subscription.FullFilter;
                if (!groups.TryGetValue(key, out List<MqttSubscription>? members))
                {
                    groups[key] = members = [];
                }

                members.Add(subscription);
                continue;
            }

            // [MQTT-3.8.3-3] No Local: not back to the publishing client.
            if (subscription.NoLocal && subscription.Session.ClientId == message.SenderClientId)
            {
                continue;
            }

            matches ??= [];
            AddOrUpgrade(matches, subscription);
        }

        if (groups is not null)
        {
            foreach (List<MqttSubscription> members in groups.Values)
            {
                int pick = (int)((uint)Interlocked.Increment(ref _sharedRoundRobin) % (uint)members.Count);
                (matches ??= []).Add(members[pick]);
            }
        }

        if (matches is null)
        {
            return 0;
        }

        foreach (MqttSubscription subscription in matches)
        {
            var qos = (MqttQualityOfServiceLevel)Math.Min((byte)message.QoS, (byte)subscription.QoS);
            // [MQTT-3.3.1-9] (3.1.1 [MQTT-3.3.1-9]): RETAIN is cleared for established subscriptions unless Retain As Published.
            bool retain = subscription.RetainAsPublished && message.Retain;
            subscription.Session.Enqueue(new MqttQueuedMessage(message, qos, retain, subscription.SubscriptionIdentifier));
        }

        return matches.Count;
    }

    private static void AddOrUpgrade(List<MqttSubscription> matches, MqttSubscription subscription)
    {
        for (int i = 0; i < matches.Count; i++)
        {
            if (matches[i].Session == subscription.Session)
            {
                if (subscription.QoS > matches[i].QoS)
                {
                    matches[i] = subscription;
                }

                return;
            }
        }

        matches.Add(subscription);
    }
}
