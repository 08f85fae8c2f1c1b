namespace MedTechEdge.Storage;

/// <summary>The store is at its configured size cap; the message was not written and must not be acknowledged.</summary>
public sealed class StoreFullException(long maxSizeBytes)
    : Exception($"The store is at its size cap of {maxSizeBytes} bytes (MedTechEdge:Store:MaxSizeBytes); the message was not accepted.")
{
    /// <summary>The cap in force.</summary>
    public long MaxSizeBytes { get; } = maxSizeBytes;
}
