using Azure;

namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>
/// The checkpoint store's blob container does not exist. Not transient: the processor would fail the same way on every
/// load-balancing cycle, so the message says what to do. It names the account and the container, never a key.
/// </summary>
public sealed class CheckpointContainerNotFoundException : Exception
{
    /// <summary>Creates the exception for a container of an account.</summary>
    public CheckpointContainerNotFoundException(string accountName, string containerName, RequestFailedException? innerException)
        : base($"The blob container '{containerName}' of storage account '{accountName}' holding the Event Hubs checkpoints " +
               "does not exist. Create it, or let the module create it at start.", innerException)
    {
        AccountName = accountName;
        ContainerName = containerName;
    }

    /// <summary>Creates the exception without naming the container.</summary>
    public CheckpointContainerNotFoundException()
        : this(string.Empty, string.Empty, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointContainerNotFoundException(string message)
        : base(message)
    {
        AccountName = string.Empty;
        ContainerName = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CheckpointContainerNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        AccountName = string.Empty;
        ContainerName = string.Empty;
    }

    /// <summary>The storage account's name.</summary>
    public string AccountName { get; }

    /// <summary>The missing container's name.</summary>
    public string ContainerName { get; }
}
