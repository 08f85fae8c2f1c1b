using System.Net.Sockets;
using Azure.Messaging.EventHubs;
using MedTechEdge.Pipeline.Sinks;

namespace MedTechEdge.Pipeline.Tests.Sinks;

/// <summary>How the SDK's final word on a send becomes a <see cref="SinkFailureKind"/>, and what of its text is kept.</summary>
public sealed class EventHubSendFailureTests
{
    [Theory]
    [InlineData(EventHubsException.FailureReason.ServiceBusy, SinkFailureKind.Throttled)]
    [InlineData(EventHubsException.FailureReason.QuotaExceeded, SinkFailureKind.Throttled)]
    [InlineData(EventHubsException.FailureReason.ServiceTimeout, SinkFailureKind.Transient)]
    [InlineData(EventHubsException.FailureReason.ServiceCommunicationProblem, SinkFailureKind.Transient)]
    [InlineData(EventHubsException.FailureReason.ProducerDisconnected, SinkFailureKind.Transient)]
    [InlineData(EventHubsException.FailureReason.ClientClosed, SinkFailureKind.Transient)]
    [InlineData(EventHubsException.FailureReason.GeneralError, SinkFailureKind.Transient)]
    [InlineData(EventHubsException.FailureReason.ResourceNotFound, SinkFailureKind.Unauthorized)]
    public void Each_Failure_Reason_Has_Its_Kind(EventHubsException.FailureReason reason, SinkFailureKind expected)
    {
        SendFailureDetails details = EventHubSendFailure.Classify(new EventHubsException(false, "vitals", "refused", reason), 3);

        Assert.Equal(expected, details.Kind);
        Assert.Contains(expected == SinkFailureKind.Unauthorized ? "no such event hub" : reason.ToString(), details.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_Size_Exceeded_Is_A_Dead_Letter_Alone_And_One_At_A_Time_In_A_Batch()
    {
        var tooLarge = new EventHubsException(false, "vitals", "too large", EventHubsException.FailureReason.MessageSizeExceeded);

        Assert.Equal(SinkFailureKind.InvalidInput, EventHubSendFailure.Classify(tooLarge, 1).Kind);
        // Persist sends the records of a batch one at a time after an Unexpected, and only then is one a dead letter.
        Assert.Equal(SinkFailureKind.Unexpected, EventHubSendFailure.Classify(tooLarge, 5).Kind);
    }

    [Fact]
    public void Network_And_Credential_Failures_Wait_For_As_Long_As_It_Takes()
    {
        Assert.Equal(SinkFailureKind.Transient, EventHubSendFailure.Classify(new SocketException((int)SocketError.ConnectionRefused), 1).Kind);
        Assert.Equal(SinkFailureKind.Transient, EventHubSendFailure.Classify(new TimeoutException("slow"), 1).Kind);
        Assert.Equal(SinkFailureKind.Unauthorized, EventHubSendFailure.Classify(new UnauthorizedAccessException("401"), 1).Kind);
        Assert.Equal(SinkFailureKind.Unauthorized, EventHubSendFailure.Classify(new Azure.Identity.CredentialUnavailableException("no identity"), 1).Kind);
        Assert.Equal(SinkFailureKind.Unauthorized, EventHubSendFailure.Classify(new System.Security.Authentication.AuthenticationException("untrusted"), 1).Kind);
    }

    [Fact]
    public void A_Key_Or_Signature_In_The_SDKs_Words_Is_Masked()
    {
        var ex = new UnauthorizedAccessException(
            "Put token failed for Endpoint=sb://ns/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0LWtleQ==;EntityPath=vitals " +
            "with SharedAccessSignature sr=amqp%3A%2F%2Fns%2Fvitals&sig=abcDEF123%3D&se=1&skn=send");

        SendFailureDetails details = EventHubSendFailure.Classify(ex, 1);

        Assert.DoesNotContain("c2VjcmV0LWtleQ", details.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abcDEF123", details.Message, StringComparison.Ordinal);
        Assert.Contains("SharedAccessKeyName=send", details.Message, StringComparison.Ordinal);
        Assert.StartsWith("Event Hubs configuration error", details.Message, StringComparison.Ordinal);
    }
}
