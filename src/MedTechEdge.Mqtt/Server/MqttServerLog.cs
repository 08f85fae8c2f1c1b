using MedTechEdge.Mqtt.Protocol;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Mqtt.Server;

/// <summary>Log messages of the broker. None carries a payload; topics and client ids appear at Debug only.</summary>
internal static partial class MqttServerLog
{
    [LoggerMessage(1, LogLevel.Information, "MQTT broker listening on {EndPoint}.")]
    public static partial void Listening(ILogger logger, string endPoint);

    [LoggerMessage(2, LogLevel.Debug, "Client {ClientId} connected with MQTT {Version} (clean start {CleanStart}, keep-alive {KeepAlive} s).")]
    public static partial void ClientConnected(ILogger logger, string clientId, MqttProtocolVersion version, bool cleanStart, ushort keepAlive);

    [LoggerMessage(3, LogLevel.Warning, "Closing connection from {EndPoint} (client '{ClientId}'): {ReasonCode}: {Message}")]
    public static partial void ProtocolViolation(ILogger logger, string endPoint, string clientId, MqttDisconnectReasonCode reasonCode, string message);

    [LoggerMessage(4, LogLevel.Debug, "Client {ClientId} missed its keep-alive (1.5 x Keep Alive without a packet).")]
    public static partial void KeepAliveTimeout(ILogger logger, string clientId);

    [LoggerMessage(5, LogLevel.Debug, "Connection of client {ClientId} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string clientId, string reason);

    [LoggerMessage(6, LogLevel.Error, "Unexpected error on the connection of client {ClientId}.")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(7, LogLevel.Error, "A background loop of client {ClientId} failed.")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(8, LogLevel.Warning, "The ingest handler failed for a message of client {ClientId}; answering 0x83.")]
    public static partial void IngestHandlerFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(9, LogLevel.Error, "Accepting connections failed.")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "MQTT broker listening with TLS on {EndPoint}.")]
    public static partial void ListeningTls(ILogger logger, string endPoint);

    [LoggerMessage(12, LogLevel.Information, "MQTT security: anonymous clients {AllowAnonymous}, {Users} user(s) in the credentials file, device topic policy {Policy}.")]
    public static partial void SecurityPolicy(ILogger logger, bool allowAnonymous, int users, MqttDeviceTopicPolicy policy);

    // Never the password. Debug: a flood's user names are guesses, which do not belong in Warning logs (issue 12);
    // the Warning is ConnectsRefused, one per address per interval.
    [LoggerMessage(13, LogLevel.Debug, "Refused CONNECT from {EndPoint} (client '{ClientId}', username '{Username}'): {ReasonCode}.")]
    public static partial void AuthenticationFailed(ILogger logger, string endPoint, string clientId, string? username, MqttConnectReasonCode reasonCode);

    [LoggerMessage(14, LogLevel.Warning, "Client {ClientId} (identity '{Identity}') is not authorized to {Operation} on that topic.")]
    public static partial void NotAuthorized(ILogger logger, string clientId, string? identity, string operation);

    [LoggerMessage(15, LogLevel.Debug, "TLS handshake with {EndPoint} failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, string endPoint, string reason);

    [LoggerMessage(16, LogLevel.Warning, "Refused {Count} CONNECT(s) from {Address} (at most one such line per address every {IntervalSeconds} s; last answer {ReasonCode}).")]
    public static partial void ConnectsRefused(ILogger logger, string address, long count, double intervalSeconds, MqttConnectReasonCode reasonCode);

    // Debug: the identity and the client id are user names (a reserved client id is one); the Warning is
    // ClientIdsRefused, one per source per interval.
    [LoggerMessage(17, LogLevel.Debug, "Identity '{Identity}' may not use client id '{ClientId}': it is reserved for, or its session belongs to, another identity. CONNECT refused with Not authorized.")]
    public static partial void SessionOwnedByAnotherIdentity(ILogger logger, string? identity, string clientId);

    [LoggerMessage(18, LogLevel.Warning, "Refused {Count} CONNECT(s) from {Address} for a client id that belongs to another identity (at most one such line per address every {IntervalSeconds} s; answer {ReasonCode}).")]
    public static partial void ClientIdsRefused(ILogger logger, string address, long count, double intervalSeconds, MqttConnectReasonCode reasonCode);

    [LoggerMessage(10, LogLevel.Warning, "Ingest calls of client {ClientId} were still running {Seconds} s after its connection closed; not waiting longer.")]
    public static partial void DrainTimeout(ILogger logger, string clientId, double seconds);
}
