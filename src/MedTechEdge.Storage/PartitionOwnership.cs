namespace MedTechEdge.Storage;

/// <summary>
/// A row of <c>partition_ownership</c>: who holds a partition, since when, and the version a claim must name to
/// take it over (the SDK's ETag). An empty owner is a partition its last owner gave up.
/// </summary>
public sealed record PartitionOwnership(string PartitionId, string OwnerId, long Version, DateTime ModifiedUtc);
