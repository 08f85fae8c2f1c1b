using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Security;

namespace MedTechEdge.Mqtt.Server;

internal sealed partial class MqttServerConnection
{
    private ushort _keepAlive;
    private SemaphoreSlim _sendSlots = new(1, 1);
    private uint _clientMaximumPacketSize = uint.MaxValue;

    // The authenticated identity (username or certificate Common Name); null for an anonymous client.
    private string? _identity;

    // Further device ids or patterns the identity may speak for (its credentials line); handed to the ingest handler.
    private IReadOnlyList<string> _identityDeviceIds = [];

    /// <summary>Reads CONNECT and answers CONNACK. Returns false when the connection must close (CONNACK already sent if due).</summary>
    private async Task<bool> ConnectAsync()
    {
        MqttPacket? first;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_connectionCts.Token))
        {
            timeout.CancelAfter(_broker.Options.ConnectTimeout);
            try
            {
                first = await _channel.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (MqttProtocolException ex) when (ex.ConnectReasonCode is { } refusal)
            {
                // Unknown protocol level: answer in the 3.1.1 layout, which older clients understand [MQTT-3.1.2-2].
                _channel.ProtocolVersion = MqttProtocolVersion.V311;
                await RefuseAsync(refusal).ConfigureAwait(false);
                throw;
            }
            catch (OperationCanceledException) when (!_connectionCts.IsCancellationRequested)
            {
                // No CONNECT in time: close without a word.
                return false;
            }
        }

        if (first is null)
        {
            return false;
        }

        if (first is not MqttConnectPacket connect)
        {
            // [MQTT-3.1.0-1]: the first packet must be CONNECT; close without CONNACK.
            throw new MqttProtocolException(MqttDisconnectReasonCode.ProtocolError, $"First packet is {first.Type}, not CONNECT [MQTT-3.1.0-1].");
        }

        _channel.ProtocolVersion = connect.ProtocolVersion;
        bool v5 = connect.ProtocolVersion == MqttProtocolVersion.V500;
        string? assignedClientId = null;
        string clientId = connect.ClientId;
        if (clientId.Length == 0)
        {
            if (!v5 && !connect.CleanStart)
            {
                // [MQTT-3.1.3-8]: zero-length ClientId needs Clean Session 1 in 3.1.1.
                await RefuseAsync(MqttConnectReasonCode.ClientIdentifierNotValid).ConfigureAwait(false);
                return false;
            }

            // [MQTT-3.1.3-6]: the server assigns a unique ClientId; 5.0 returns it in CONNACK [MQTT-3.2.2-16].
            clientId = assignedClientId = "auto-" + Guid.NewGuid().ToString("N");
        }

        if (v5 && connect.Properties.AuthenticationMethod is not null)
        {
            // Enhanced authentication (MQTT 5.0 §4.12) is not offered.
            await RefuseAsync(MqttConnectReasonCode.BadAuthenticationMethod).ConfigureAwait(false);
            return false;
        }

        // MQTT 5.0 §3.1.4 / 3.1.1 §3.1.4 [MQTT-3.1.4-2]: authenticate before any session state is touched.
        MqttAuthenticationResult authentication = await _broker.Security.AuthenticateAsync(connect.Username, connect.Password, _transport, _remoteAddress, _connectionCts.Token).ConfigureAwait(false);
        if (authentication.ReasonCode != MqttConnectReasonCode.Success)
        {
            Interlocked.Increment(ref authentication.ReasonCode == MqttConnectReasonCode.ServerBusy
                ? ref _broker.Statistics._authenticationThrottled
                : ref _broker.Statistics._authenticationFailures);
            MqttServerLog.AuthenticationFailed(_logger, _channel.RemoteEndPoint, clientId, connect.Username, authentication.ReasonCode);
            if (_remoteAddress is not null)
            {
                _broker.Security.FailureLog.Record(_remoteAddress, authentication.ReasonCode);
            }

            // A CONNACK with the failure code, then close: [MQTT-3.2.2-7] (3.1.1 [MQTT-3.2.2-5]).
            await RefuseAsync(authentication.ReasonCode).ConfigureAwait(false);
            return false;
        }

        string? identity = authentication.Identity;

        // A client id that is a user name in the credentials file is that identity's (see ClientIdReservedFor):
        // anyone else is refused before any session is looked at, so nobody can squat on it. The rightful identity
        // may always take it, whatever session holds it now.
        string? reservedFor = _broker.Security.ClientIdReservedFor(clientId);
        if (reservedFor is not null && !string.Equals(reservedFor, identity, StringComparison.Ordinal))
        {
            await RefuseClientIdAsync(identity, clientId).ConfigureAwait(false);
            return false;
        }

        if (connect.HasWill && !_broker.Security.MayPublish(identity, connect.WillTopic))
        {
            // The will is a PUBLISH in waiting: the device topic policy applies to it now, not when it fires.
            Interlocked.Increment(ref _broker.Statistics._authorizationFailures);
            MqttServerLog.NotAuthorized(_logger, clientId, identity, "set a will");
            await RefuseAsync(MqttConnectReasonCode.NotAuthorized).ConfigureAwait(false);
            return false;
        }

        _identity = identity;
        _identityDeviceIds = authentication.DeviceIds;
        uint sessionExpiry = v5
            ? Math.Min(connect.Properties.SessionExpiryInterval ?? 0, _broker.Options.MaximumSessionExpiryInterval)
            : (connect.CleanStart ? 0 : uint.MaxValue);
        ushort clientReceiveMaximum = v5 ? connect.Properties.ReceiveMaximum ?? ushort.MaxValue : (ushort)32;
        _sendSlots = new SemaphoreSlim(clientReceiveMaximum, clientReceiveMaximum);
        _clientMaximumPacketSize = connect.Properties.MaximumPacketSize ?? uint.MaxValue;
        _keepAlive = connect.KeepAlive;
        _clientId = clientId;
        // Kept for its will only: most devices have none, and 10,000 idle connections should not each hold their CONNECT
        // and its two property sets (about 0.5 KB) for their whole life.
        _connect = connect.HasWill ? connect : null;
        connect.ClientId = clientId;
        _sendWill = connect.HasWill;

        if (!_broker.TryAttachSession(this, clientId, identity, rightfulOwner: reservedFor is not null, connect.CleanStart, sessionExpiry, out MqttServerSession? session, out bool present))
        {
            await RefuseClientIdAsync(identity, clientId).ConfigureAwait(false);
            return false;
        }

        _session = session;
        var connAck = new MqttConnAckPacket { SessionPresent = present, ReasonCode = MqttConnectReasonCode.Success };
        if (v5)
        {
            MqttProperties p = connAck.Properties;
            p.ReceiveMaximum = _broker.Options.ReceiveMaximum;
            p.MaximumPacketSize = _broker.Options.MaximumPacketSize;
            p.TopicAliasMaximum = _broker.Options.TopicAliasMaximum;
            p.AssignedClientIdentifier = assignedClientId;
            if (_broker.Options.MaximumQoS < MqttQualityOfServiceLevel.ExactlyOnce)
            {
                p.MaximumQoS = (byte)_broker.Options.MaximumQoS;
            }

            if (connect.Properties.SessionExpiryInterval is uint requested && requested != sessionExpiry)
            {
                // MQTT 5.0 §3.2.2.3.2: the server tells the client the interval it will use.
                p.SessionExpiryInterval = sessionExpiry;
            }

            p.SubscriptionIdentifierAvailable = 1;
        }

        await _channel.SendAsync(connAck, _connectionCts.Token).ConfigureAwait(false);
        MqttServerLog.ClientConnected(_logger, clientId, connect.ProtocolVersion, connect.CleanStart, connect.KeepAlive);
        return true;
    }

    /// <summary>
    /// MQTT 5.0 §3.1.4 / [MQTT-3.1.4-2]: authorization of the CONNECT failed because the client id belongs to another
    /// identity, so CONNACK 0x87 (3.1.1: return code 5) and the caller closes. The client id's session stays with its
    /// owner, whose connection, if any, goes on undisturbed. Logged per attempt at Debug only and as one Warning per
    /// source per interval: a client id may be a user name, and a squatter retrying in a loop would flood the log.
    /// </summary>
    private async Task RefuseClientIdAsync(string? identity, string clientId)
    {
        Interlocked.Increment(ref _broker.Statistics._authorizationFailures);
        MqttServerLog.SessionOwnedByAnotherIdentity(_logger, identity, clientId);
        if (_remoteAddress is not null)
        {
            _broker.Security.ClientIdLog.Record(_remoteAddress, MqttConnectReasonCode.NotAuthorized);
        }

        await RefuseAsync(MqttConnectReasonCode.NotAuthorized).ConfigureAwait(false);
    }

    /// <summary>CONNACK with a failure code, then the caller closes [MQTT-3.2.2-5] (3.1.1 [MQTT-3.2.2-5]).</summary>
    private async Task RefuseAsync(MqttConnectReasonCode reasonCode)
    {
        var connAck = new MqttConnAckPacket { ReasonCode = reasonCode };
        await _channel.TrySendAsync(connAck, s_closeSendTimeout).ConfigureAwait(false);
    }
}
