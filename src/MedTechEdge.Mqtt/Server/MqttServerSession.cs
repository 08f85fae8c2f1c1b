using System.Threading.Channels;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

/// <summary>
/// Session State on the server (MQTT 5.0 §4.1): subscriptions, queued messages, outgoing QoS 1/2 messages not yet
/// completed, and incoming QoS 2 packet ids awaiting PUBREL. It outlives a connection when the Session Expiry
/// Interval is above zero (5.0) or Clean Session is 0 (3.1.1).
/// </summary>
internal sealed class MqttServerSession
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, MqttInflightMessage> _inflight = [];
    private readonly HashSet<ushort> _awaitingPubRel = [];
    private ushort _lastPacketId;
    private long _inflightSequence;

    public MqttServerSession(string clientId, int maxQueuedMessages, Action onDropped)
    {
        ClientId = clientId;
        // Bounded so a slow or absent subscriber costs at most maxQueuedMessages; newest messages are dropped, as Mosquitto's
        // max_queued_messages does. Not single-reader: during a session takeover the old connection's loop may still be leaving.
        Outbox = Channel.CreateBounded<MqttQueuedMessage>(
            new BoundedChannelOptions(maxQueuedMessages) { FullMode = BoundedChannelFullMode.DropWrite },
            _ => onDropped());
    }

    public string ClientId { get; }

    public Channel<MqttQueuedMessage> Outbox { get; }

    /// <summary>The connection currently attached, or null while the client is away.</summary>
    public MqttServerConnection? Connection { get; set; }

    public uint SessionExpiryInterval { get; set; }

    /// <summary>The authenticated identity that created (or first claimed) the session; null while only anonymous clients used it.</summary>
    public string? OwnerIdentity { get; set; }

    /// <summary>Bumped on every attach; a pending expiry or will timer fires only if the generation is unchanged.</summary>
    public int Generation { get; set; }

    public CancellationTokenSource? PendingWill { get; set; }

    public bool IsDiscarded { get; private set; }

    public void Discard()
    {
        IsDiscarded = true;
        Outbox.Writer.TryComplete();
    }

    public void Enqueue(in MqttQueuedMessage message) => Outbox.Writer.TryWrite(message);

    /// <summary>Records an outgoing QoS 1/2 PUBLISH and returns its packet identifier, unique among those in flight [MQTT-2.2.1-4].</summary>
    public ushort AddInflight(MqttPublishPacket packet)
    {
        lock (_lock)
        {
            ushort id = _lastPacketId;
            do
            {
                id = id == ushort.MaxValue ? (ushort)1 : (ushort)(id + 1);
            }
            while (_inflight.ContainsKey(id));

            _lastPacketId = id;
            packet.PacketId = id;
            _inflight[id] = new MqttInflightMessage(packet, ++_inflightSequence);
            return id;
        }
    }

    /// <summary>PUBACK or PUBCOMP received (or a PUBREC with a failure code): the message is done.</summary>
    public bool CompleteInflight(ushort packetId)
    {
        lock (_lock)
        {
            return _inflight.Remove(packetId);
        }
    }

    /// <summary>PUBREC received: from now on only PUBREL is resent for this id [MQTT-4.3.3-4].</summary>
    public bool MarkReleased(ushort packetId)
    {
        lock (_lock)
        {
            if (_inflight.TryGetValue(packetId, out MqttInflightMessage? message))
            {
                message.Released = true;
                return true;
            }

            return false;
        }
    }

    /// <summary>Messages to resend on reconnect, in their original order [MQTT-4.4.0-1] [MQTT-4.6.0-1].</summary>
    public List<MqttInflightMessage> GetInflightInOrder()
    {
        lock (_lock)
        {
            var list = new List<MqttInflightMessage>(_inflight.Values);
            list.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            return list;
        }
    }

    /// <summary>Incoming QoS 2: true when the id is new; false when the PUBLISH is a redelivery to be acknowledged but not passed on again [MQTT-4.3.3-10].</summary>
    public bool TryBeginIncomingQoS2(ushort packetId)
    {
        lock (_lock)
        {
            return _awaitingPubRel.Add(packetId);
        }
    }

    public bool CompleteIncomingQoS2(ushort packetId)
    {
        lock (_lock)
        {
            return _awaitingPubRel.Remove(packetId);
        }
    }
}

/// <summary>An outgoing QoS 1/2 message awaiting its acknowledgement.</summary>
internal sealed class MqttInflightMessage(MqttPublishPacket packet, long sequence)
{
    public MqttPublishPacket Packet { get; } = packet;
    public long Sequence { get; } = sequence;
    public bool Released { get; set; }
}
