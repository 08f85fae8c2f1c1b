namespace MedTechEdge.Configuration;

/// <summary>
/// How the module reaches an event hub, the same for both directions (<c>MedTechEdge:EventHub</c> for the sink,
/// <c>MedTechEdge:EventHubIngress</c> for the ingress): a connection string, or a namespace and an Entra ID identity.
/// </summary>
internal class EventHubConnectionOptions
{
    /// <summary>How the module signs in: unset means <see cref="Credential.SharedAccessKey"/>.</summary>
    public Credential? Authentication { get; set; }

    /// <summary><c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=…</c>. A secret: keep it out of files.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The event hub: with Entra ID, or when the connection string is a namespace's (no <c>EntityPath</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The namespace's host name, e.g. <c>contoso.servicebus.windows.net</c>, with Entra ID (no connection string).</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Entra ID tenant (<see cref="Credential.ClientSecret"/>).</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration (<see cref="Credential.ClientSecret"/>), or a user-assigned managed identity (<see cref="Credential.ManagedIdentity"/>, <see cref="Credential.Default"/>).</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's secret (<see cref="Credential.ClientSecret"/>). A secret: keep it out of files.</summary>
    public string? ClientSecret { get; set; }

    /// <summary><c>AmqpTcp</c> (port 5671, the default) or <c>AmqpWebSockets</c> (port 443, for networks that allow only HTTPS).</summary>
    public EventHubTransport Transport { get; set; } = EventHubTransport.AmqpTcp;

    /// <summary>
    /// An address to connect to instead of the namespace's own (a private endpoint or an application gateway), e.g.
    /// <c>amqps://gateway.contoso.com</c>; the namespace still names the tokens' audience. Empty: the namespace.
    /// </summary>
    public string? CustomEndpointAddress { get; set; }

    /// <summary>How the module obtains its tokens.</summary>
    internal enum Credential
    {
        /// <summary>Shared access signatures signed with the connection string's key.</summary>
        SharedAccessKey,

        /// <summary>Entra ID tokens of the host's managed identity (system-assigned, or user-assigned with <c>ClientId</c>).</summary>
        ManagedIdentity,

        /// <summary>Entra ID tokens of an app registration: <c>TenantId</c>, <c>ClientId</c>, <c>ClientSecret</c>.</summary>
        ClientSecret,

        /// <summary>
        /// Azure.Identity's <c>DefaultAzureCredential</c> chain (environment, workload identity, managed identity, and a
        /// developer's sign-in): the usual choice on AKS with workload identity.
        /// </summary>
        Default,
    }
}
