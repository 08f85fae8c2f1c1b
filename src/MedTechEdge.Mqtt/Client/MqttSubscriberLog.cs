using MedTechEdge.Mqtt.Protocol;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Mqtt.Client;

/// <summary>Log messages of the subscriber. None carries a payload or a topic.</summary>
internal static partial class MqttSubscriberLog
{
    [LoggerMessage(101, LogLevel.Information, "MQTT subscriber connected to {Host}:{Port} as {ClientId} (session present {SessionPresent}).")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, bool sessionPresent);

    [LoggerMessage(102, LogLevel.Warning, "MQTT subscriber cannot connect to {Host}:{Port} (attempt {Attempt}): {Reason}. Next attempt in {DelayMs} ms.")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, int attempt, string reason, long delayMs);

    [LoggerMessage(103, LogLevel.Error, "The broker refused the connection of {ClientId}: {ReasonCode}.")]
    public static partial void ConnectRefused(ILogger logger, string clientId, MqttConnectReasonCode reasonCode);

    [LoggerMessage(104, LogLevel.Error, "The broker refused the subscription to '{TopicFilter}': {ReasonCode}.")]
    public static partial void SubscribeRefused(ILogger logger, string topicFilter, MqttSubscribeReasonCode reasonCode);

    [LoggerMessage(105, LogLevel.Warning, "The ingest handler failed for a QoS {QoS} message; it is not acknowledged (QoS 1/2: the connection is closed so the broker resends it).")]
    public static partial void HandlerFailed(ILogger logger, Exception? exception, MqttQualityOfServiceLevel qoS);

    [LoggerMessage(106, LogLevel.Warning, "The ingest handler refused a QoS {QoS} message with {ReasonCode}; it is not acknowledged (QoS 1/2: the connection is closed so the broker resends it).")]
    public static partial void HandlerRefused(ILogger logger, MqttQualityOfServiceLevel qoS, MqttPubAckReasonCode reasonCode);

    [LoggerMessage(107, LogLevel.Information, "MQTT subscriber lost its connection to {Host}:{Port}; reconnecting in {DelayMs} ms.")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, long delayMs);

    [LoggerMessage(108, LogLevel.Warning, "The broker granted only QoS 0 for '{TopicFilter}': messages on it may be lost.")]
    public static partial void SubscribeDowngraded(ILogger logger, string topicFilter);

    [LoggerMessage(109, LogLevel.Error, "Unexpected error in the MQTT subscriber's connection; reconnecting.")]
    public static partial void UnexpectedError(ILogger logger, Exception exception);
}
