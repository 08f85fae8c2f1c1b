using Azure.Core;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

namespace MedTechEdge.EventHubs;

/// <summary>
/// Where an event hub is and who the module is to it, as the SDK's constructors take it: a connection string, or a
/// namespace with an Entra ID credential. Shared by the upstream producer and the ingress, so both directions sign in
/// the same way. Holds a secret (the connection string's key): never log it, never put it in an error message.
/// </summary>
public sealed class EventHubsEndpoint
{
    private EventHubsEndpoint(string? connectionString, string? fullyQualifiedNamespace, string eventHubName, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        FullyQualifiedNamespace = fullyQualifiedNamespace;
        EventHubName = eventHubName;
        Credential = credential;
    }

    /// <summary>A copy of <paramref name="other"/>, for a caller that sets the transport options.</summary>
    public EventHubsEndpoint(EventHubsEndpoint other)
        : this(other?.ConnectionString, other?.FullyQualifiedNamespace, other?.EventHubName ?? string.Empty, other?.Credential)
    {
        ArgumentNullException.ThrowIfNull(other);
        TransportType = other.TransportType;
        CustomEndpointAddress = other.CustomEndpointAddress;
        CertificateValidation = other.CertificateValidation;
    }

    /// <summary>The connection string, or null with <see cref="Credential"/>.</summary>
    public string? ConnectionString { get; }

    /// <summary>The namespace's host name with <see cref="Credential"/>; null with a connection string.</summary>
    public string? FullyQualifiedNamespace { get; }

    /// <summary>The event hub; empty when the connection string names it (<c>EntityPath</c>).</summary>
    public string EventHubName { get; }

    /// <summary>The Entra ID credential, or null with a connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>AMQP over TCP (5671) by default; AMQP over WebSockets (443) for networks that allow only HTTPS.</summary>
    public EventHubsTransportType TransportType { get; init; } = EventHubsTransportType.AmqpTcp;

    /// <summary>
    /// An address to connect to instead of the namespace's (a private endpoint or an application gateway, or a test
    /// peer); the namespace still names the audience of the tokens.
    /// </summary>
    public Uri? CustomEndpointAddress { get; init; }

    /// <summary>Validates the service's TLS certificate instead of the system's trust store (a test peer's own certificate).</summary>
    public System.Net.Security.RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>
    /// A hub reached with a connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…[;EntityPath=…]</c>).
    /// </summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="eventHubName">The hub when the connection string has no <c>EntityPath</c>; null or empty otherwise.</param>
    public static EventHubsEndpoint FromConnectionString(string connectionString, string? eventHubName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new EventHubsEndpoint(connectionString, null, eventHubName ?? string.Empty, null);
    }

    /// <summary>A hub reached with an Entra ID credential (managed identity, client secret, or the default chain).</summary>
    public static EventHubsEndpoint FromCredential(string fullyQualifiedNamespace, string eventHubName, TokenCredential credential)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullyQualifiedNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventHubName);
        ArgumentNullException.ThrowIfNull(credential);
        return new EventHubsEndpoint(null, fullyQualifiedNamespace, eventHubName, credential);
    }

    /// <summary>The SDK's connection options for this endpoint.</summary>
    public EventHubConnectionOptions ConnectionOptions() => new()
    {
        TransportType = TransportType,
        CustomEndpointAddress = CustomEndpointAddress,
        CertificateValidationCallback = CertificateValidation,
    };

    /// <summary>A producer for this endpoint.</summary>
    public EventHubProducerClient CreateProducer(EventHubProducerClientOptions? options = null)
    {
        options ??= new EventHubProducerClientOptions();
        options.ConnectionOptions = ConnectionOptions();
        if (Credential is not null)
        {
            return new EventHubProducerClient(FullyQualifiedNamespace, EventHubName, Credential, options);
        }

        return string.IsNullOrEmpty(EventHubName)
            ? new EventHubProducerClient(ConnectionString, options)
            : new EventHubProducerClient(ConnectionString, EventHubName, options);
    }
}
