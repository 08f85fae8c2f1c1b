using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Server;

internal sealed partial class MqttBroker
{
    public int SessionCount
    {
        get
        {
            lock (_sessionsLock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>
    /// Binds a connection to its session. An existing connection with the same client id is taken over: it gets
    /// DISCONNECT 0x8E (5.0) and is closed [MQTT-3.1.4-3]. Clean Start discards the old session [MQTT-3.1.2-4];
    /// otherwise it is resumed and CONNACK says Session Present [MQTT-3.2.2-3].
    /// Returns false, touching nothing, when the client id's session (connected or not) belongs to another
    /// authenticated identity: see <see cref="MayClaim"/>.
    /// </summary>
    /// <param name="rightfulOwner">
    /// The client id is reserved for <paramref name="identity"/> (its user name in the credentials file): it may take
    /// over whatever session holds the id, and becomes its owner.
    /// </param>
    public bool TryAttachSession(MqttServerConnection connection, string clientId, string? identity, bool rightfulOwner, bool cleanStart, uint sessionExpiryInterval,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MqttServerSession? session, out bool sessionPresent)
    {
        MqttServerConnection? previous = null;
        lock (_sessionsLock)
        {
            _sessions.TryGetValue(clientId, out MqttServerSession? existing);
            if (existing is not null && !rightfulOwner && !MayClaim(existing, identity))
            {
                session = null;
                sessionPresent = false;
                return false;
            }

            // The rightful owner does not resume a session that another identity, or an anonymous client, made in its
            // name: its subscriptions and queued messages are theirs, so the owner starts afresh as with Clean Start
            // [MQTT-3.1.2-4].
            bool madeByAnother = rightfulOwner && existing is not null && !string.Equals(existing.OwnerIdentity, identity, StringComparison.Ordinal);
            previous = existing?.Connection;
            if (existing is null || cleanStart || madeByAnother)
            {
                if (existing is not null)
                {
                    _subscriptions.RemoveAll(existing);
                    existing.Discard();
                }

                session = new MqttServerSession(clientId, Options.MaxQueuedMessagesPerClient, OnMessageDropped);
                _sessions[clientId] = session;
                sessionPresent = false;
            }
            else
            {
                session = existing;
                sessionPresent = true;
            }

            // A will waiting for its delay is not sent when the session is resumed in time [MQTT-3.1.3-9].
            session.PendingWill?.Cancel();
            session.PendingWill = null;
            session.Generation++;
            session.Connection = connection;
            session.SessionExpiryInterval = sessionExpiryInterval;
            session.OwnerIdentity ??= identity;
        }

        previous?.TakeOver();
        return true;
    }

    /// <summary>
    /// Whether a connection authenticated as <paramref name="identity"/> may take over, resume or (with Clean Start)
    /// discard <paramref name="existing"/>. MQTT leaves this to the server: it "SHOULD perform authentication and
    /// authorization checks" on CONNECT and refuses with 0x87 Not authorized when they fail (MQTT 5.0 §3.1.4,
    /// [MQTT-3.1.4-2]; 3.1.1 §3.1.4, return code 5). A session created by an authenticated identity is that identity's:
    /// another identity, or an anonymous client, would otherwise kick the device off (§3.1.4 takeover,
    /// [MQTT-3.1.4-3]), read its queued messages or wipe them. A session an anonymous client created has no owner and
    /// anyone may claim it, as before; the first authenticated identity to do so becomes its owner. That "first" is a
    /// race, so a client id that is a user name in the credentials file is not decided here: it is reserved for that
    /// identity before this is asked (<see cref="Security.MqttServerSecurity.ClientIdReservedFor"/>).
    /// </summary>
    private static bool MayClaim(MqttServerSession existing, string? identity) =>
        existing.OwnerIdentity is null || string.Equals(existing.OwnerIdentity, identity, StringComparison.Ordinal);

    private void OnMessageDropped() => Interlocked.Increment(ref Statistics._messagesDropped);

    /// <summary>
    /// Called once when a connection ends. Ends the session when its expiry is 0, schedules expiry otherwise, and
    /// publishes the will unless the client sent DISCONNECT 0x00 (MQTT 5.0 §3.1.2.5), after the Will Delay Interval
    /// or at session end, whichever is first (§3.1.3.2.2).
    /// </summary>
    public void DetachSession(MqttServerConnection connection, MqttServerSession session, MqttConnectPacket? will)
    {
        uint expiry;
        int generation;
        bool resumedByTakeover = false;
        lock (_sessionsLock)
        {
            if (session.Connection != connection || session.IsDiscarded)
            {
                // Taken over: the new connection owns the session now, or its Clean Start ended this one (then the
                // session is discarded but still names this connection). An ended session has no expiry to wait for,
                // and its will is not held back by the delay (§3.1.3.2.2).
                expiry = uint.MaxValue;
                generation = -1;
                resumedByTakeover = _sessions.TryGetValue(session.ClientId, out MqttServerSession? current) && current == session;
            }
            else
            {
                session.Connection = null;
                expiry = session.SessionExpiryInterval;
                generation = session.Generation;
                if (expiry == 0)
                {
                    RemoveSessionLocked(session);
                }
            }
        }

        if (generation >= 0 && expiry is > 0 and < uint.MaxValue)
        {
            _ = ExpireLaterAsync(session, generation, expiry);
        }

        if (will is not null)
        {
            uint delay = Math.Min(will.WillProperties.WillDelayInterval ?? 0, expiry);
            if (resumedByTakeover && delay > 0)
            {
                // The broker noticed the dead connection only after the client came back and took its session over:
                // a new connection to this session was made within the Will Delay Interval, so the will is not
                // sent [MQTT-3.1.3-9]. With no delay it is published at once (§3.1.4, [MQTT-3.1.4-3]).
                return;
            }

            var message = new MqttStoredMessage(will.WillTopic, will.WillPayload, will.WillQoS, will.WillRetain, will.WillProperties, will.ClientId, NowTicks);
            if (delay == 0 || generation < 0)
            {
                Route(message);
            }
            else
            {
                var cts = new CancellationTokenSource();
                lock (_sessionsLock)
                {
                    session.PendingWill = cts;
                }

                _ = PublishWillLaterAsync(message, delay, cts.Token);
            }
        }
    }

    private async Task PublishWillLaterAsync(MqttStoredMessage will, uint delaySeconds, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(delaySeconds), Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            Route(will);
        }
        catch (OperationCanceledException)
        {
            // The client came back in time.
        }
    }

    private async Task ExpireLaterAsync(MqttServerSession session, int generation, uint expirySeconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(expirySeconds), Options.TimeProvider).ConfigureAwait(false);
        lock (_sessionsLock)
        {
            if (session.Connection is null && session.Generation == generation)
            {
                RemoveSessionLocked(session);
            }
        }
    }

    private void RemoveSessionLocked(MqttServerSession session)
    {
        if (_sessions.TryGetValue(session.ClientId, out MqttServerSession? current) && current == session)
        {
            _sessions.Remove(session.ClientId);
        }

        _subscriptions.RemoveAll(session);
        session.Discard();
    }

    public MqttServerConnection[] GetConnections()
    {
        lock (_sessionsLock)
        {
            var list = new List<MqttServerConnection>(_sessions.Count);
            foreach (MqttServerSession session in _sessions.Values)
            {
                if (session.Connection is { } connection)
                {
                    list.Add(connection);
                }
            }

            return [.. list];
        }
    }
}
