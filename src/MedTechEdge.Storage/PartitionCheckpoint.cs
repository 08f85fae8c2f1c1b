namespace MedTechEdge.Storage;

/// <summary>
/// A row of <c>partition_checkpoint</c>: the last event of a partition that is durably in the inbox, by offset (the
/// service's opaque string) and sequence number, and which processor wrote it.
/// </summary>
public sealed record PartitionCheckpoint(string PartitionId, string? Offset, long? SequenceNumber, string? ClientId, DateTime ModifiedUtc);
