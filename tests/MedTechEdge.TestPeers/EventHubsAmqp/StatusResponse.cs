using Amqp;
using Amqp.Framing;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>A reply to a <c>$cbs</c> or <c>$management</c> request: an HTTP-like status in the application properties.</summary>
internal static class StatusResponse
{
    public static Message Create(int statusCode, string description, object? body = null)
    {
        var response = body is null ? new Message() : new Message(body);
        response.ApplicationProperties = new ApplicationProperties();
        response.ApplicationProperties["status-code"] = statusCode;
        response.ApplicationProperties["status-description"] = description;
        return response;
    }

    public static string? Property(Message request, string name) =>
        request.ApplicationProperties is { } properties && properties.Map.TryGetValue(name, out object? value)
            ? value?.ToString()
            : null;
}
