namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>
/// A checkpoint blob whose metadata gives no position. The store resumes that partition from the earliest event
/// instead; the host logs this.
/// </summary>
public sealed class CorruptCheckpointEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public CorruptCheckpointEventArgs(string containerName, string blobName, string partitionId, string reason)
    {
        ContainerName = containerName;
        BlobName = blobName;
        PartitionId = partitionId;
        Reason = reason;
    }

    /// <summary>The container holding the blob.</summary>
    public string ContainerName { get; }

    /// <summary>The checkpoint blob's full name, e.g. <c>ns.servicebus.windows.net/hub/$default/checkpoint/0</c>.</summary>
    public string BlobName { get; }

    /// <summary>The partition that resumes from the earliest event.</summary>
    public string PartitionId { get; }

    /// <summary>What is wrong with the metadata.</summary>
    public string Reason { get; }

    /// <summary>One line for a log: which blob, what is wrong, what happens.</summary>
    public string Message =>
        $"The checkpoint blob '{BlobName}' in container '{ContainerName}' is corrupt: {Reason}. Partition {PartitionId} " +
        "resumes from the earliest event it still holds (a replay: Observation ids are deterministic, so nothing is duplicated); " +
        "the next checkpoint overwrites the blob.";
}
