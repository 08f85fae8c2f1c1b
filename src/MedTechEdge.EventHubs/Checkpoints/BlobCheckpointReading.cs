using Azure.Messaging.EventHubs.Consumer;

namespace MedTechEdge.EventHubs.Checkpoints;

/// <summary>
/// What a checkpoint blob's metadata says: a position to resume from, nothing (a cleared checkpoint), or a
/// <see cref="Problem"/> that makes it unusable.
/// </summary>
/// <param name="Position">Where to resume; null when cleared or corrupt.</param>
/// <param name="Offset">The offset as written, when it is a usable one.</param>
/// <param name="SequenceNumber">The sequence number as written, when it is a number.</param>
/// <param name="ClientIdentifier">The writer's identifier, when written.</param>
/// <param name="Problem">Why the metadata is unusable, in words for a log line; null when it is usable or cleared.</param>
internal readonly record struct BlobCheckpointReading(
    EventPosition? Position, string? Offset, long? SequenceNumber, string? ClientIdentifier, string? Problem)
{
    /// <summary>The metadata gives no position and says why.</summary>
    public bool IsCorrupt => Problem is not null;
}
