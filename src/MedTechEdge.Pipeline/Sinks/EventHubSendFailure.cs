using System.Net.Sockets;
using System.Text.RegularExpressions;
using Azure.Messaging.EventHubs;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>
/// What an exception of Microsoft's Event Hubs SDK means for the records it carried (<see cref="SinkFailureKind"/>),
/// worded for logs, the dead-letter table and the module's status. The SDK has already retried what it retries
/// (kept modest by the host, so Persist's backoff stays in charge); what reaches here is its final word.
/// </summary>
internal static partial class EventHubSendFailure
{
    // The SDKs' messages may quote a connection string or a token; these parts never reach a log or the status.
    [GeneratedRegex(@"(SharedAccessKey|SharedAccessSignature|sig|Authorization)\s*[=:]\s*[^;&\s]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();

    private const int MaxServiceWords = 300;

    /// <summary>
    /// True for every exception but the cancellation of this very write (which Persist expects thrown at shutdown).
    /// The rest is classified here rather than thrown, so records sent before it keep their outcome.
    /// </summary>
    public static bool IsClassified(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    /// <summary>The failure of a send (or of opening the link for it) that carried <paramref name="events"/> events.</summary>
    public static SendFailureDetails Classify(Exception ex, int events) => ex switch
    {
        // 5.12.2 raises a refused put-token (a wrong key, an expired token, a missing role) as this, not EventHubsException.
        UnauthorizedAccessException => Unauthorized("the hub refused the credentials", ex),
        Azure.Identity.AuthenticationFailedException => Unauthorized("no Entra ID token could be had", ex),
        // The TLS handshake failed: the service's (or a custom endpoint's) certificate is not trusted here.
        System.Security.Authentication.AuthenticationException => Unauthorized("the TLS handshake failed", ex),
        EventHubsException { Reason: EventHubsException.FailureReason.ResourceNotFound } => Unauthorized("the namespace has no such event hub", ex),
        EventHubsException { Reason: EventHubsException.FailureReason.MessageSizeExceeded } when events <= 1 => TooLarge(),
        // Which event was too large is unknown: Persist sends the records one at a time after an Unexpected.
        EventHubsException { Reason: EventHubsException.FailureReason.MessageSizeExceeded } =>
            new SendFailureDetails(SinkFailureKind.Unexpected, "Event Hubs refused a batch as too large; sending its events one at a time."),
        EventHubsException { Reason: EventHubsException.FailureReason.ServiceBusy or EventHubsException.FailureReason.QuotaExceeded } eh =>
            new SendFailureDetails(SinkFailureKind.Throttled, Words($"Event Hubs is throttling ({eh.Reason})", ex)),
        // Timeouts, communication problems, a closed producer or link, and anything else the SDK gave up on: the data
        // is fine and waits for the hub.
        EventHubsException eh => new SendFailureDetails(SinkFailureKind.Transient, Words($"Event Hubs is unavailable ({eh.Reason})", ex)),
        SocketException or IOException or TimeoutException or OperationCanceledException =>
            new SendFailureDetails(SinkFailureKind.Transient, Words("Event Hubs cannot be reached", ex)),
        _ => new SendFailureDetails(SinkFailureKind.Unexpected, Words("Event Hubs send failed", ex)),
    };

    /// <summary>One event larger than the hub takes in a batch of its own: it never will.</summary>
    public static SendFailureDetails TooLarge() =>
        new(SinkFailureKind.InvalidInput, "The event is larger than the event hub accepts (its maximum message size).");

    private static SendFailureDetails Unauthorized(string what, Exception ex) => new(
        SinkFailureKind.Unauthorized,
        Words("Event Hubs configuration error: " + what + " (check the connection string and its Send claim, or the identity's Azure Event Hubs Data Sender role, the namespace and the hub)", ex));

    /// <summary>Our words, the exception's type, and the service's words with any secret removed and cut short.</summary>
    private static string Words(string what, Exception ex)
    {
        string service = Secrets().Replace(ex.Message, "$1=***");
        if (service.Length > MaxServiceWords)
        {
            service = string.Concat(service.AsSpan(0, MaxServiceWords), "…");
        }

        return $"{what}. {ex.GetType().Name}: {service}";
    }
}
