using Microsoft.Extensions.Logging;

namespace MedTechEdge.IotEdge;

internal static partial class EdgeModuleClientLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Renewing the edgeHub connection with a fresh SAS token before the current one expires.")]
    public static partial void RenewingToken(ILogger logger);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Handling a desired-properties update failed.")]
    public static partial void DesiredHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Direct method {Method} failed.")]
    public static partial void MethodFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "The answer to direct method {Method} could not be sent: the edgeHub connection is down.")]
    public static partial void MethodAnswerLost(ILogger logger, string method);
}
