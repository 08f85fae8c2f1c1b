using Azure.Storage.Blobs;
using MedTechEdge.Configuration;

namespace MedTechEdge.Hosting;

/// <summary>
/// The container of the Blob checkpoint store (<c>EventHubIngress:CheckpointStore = Blob</c>), from
/// <c>EventHubIngress:Blob</c>: a connection string, or a service URI with an Entra ID identity of the same kinds as the
/// hub's. Checked at start; each refusal names the setting and never echoes a value.
/// </summary>
internal static class BlobCheckpointContainerFactory
{
    private const string Section = EventHubIngressOptions.Section + ":Blob";

    public static BlobContainerClient Create(BlobCheckpointOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ContainerName))
        {
            throw new ModuleStartupException($"{Section}:ContainerName is empty: name the container that holds the checkpoints and ownership claims.");
        }

        bool byKey = !string.IsNullOrWhiteSpace(options.ConnectionString);
        bool byUri = !string.IsNullOrWhiteSpace(options.ServiceUri);
        if (byKey == byUri)
        {
            throw new ModuleStartupException($"{Section}: set either {Section}:ConnectionString, or {Section}:ServiceUri with {Section}:Authentication.");
        }

        if (byKey)
        {
            try
            {
                return new BlobContainerClient(options.ConnectionString, options.ContainerName);
            }
            catch (FormatException)
            {
                throw new ModuleStartupException($"{Section}:ConnectionString is not a storage connection string.");
            }
        }

        if (!Uri.TryCreate(options.ServiceUri, UriKind.Absolute, out Uri? service))
        {
            throw new ModuleStartupException($"{Section}:ServiceUri is not an absolute address (e.g. https://contoso.blob.core.windows.net).");
        }

        EventHubConnectionOptions.Credential kind = options.Authentication ?? EventHubConnectionOptions.Credential.Default;
        if (kind == EventHubConnectionOptions.Credential.SharedAccessKey)
        {
            throw new ModuleStartupException($"{Section}:Authentication is SharedAccessKey: use {Section}:ConnectionString instead, or ManagedIdentity, ClientSecret or Default with ServiceUri.");
        }

        var identity = new EventHubConnectionOptions { TenantId = options.TenantId, ClientId = options.ClientId, ClientSecret = options.ClientSecret };
        return new BlobContainerClient(new Uri(service.AbsoluteUri.TrimEnd('/') + "/" + options.ContainerName), EventHubsEndpointFactory.Credential(identity, kind, Section));
    }
}
