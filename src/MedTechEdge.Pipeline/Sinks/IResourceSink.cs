using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>Where the Persist stage writes FHIR resources: a FHIR server, local NDJSON files, Event Hubs, edgeHub.</summary>
public interface IResourceSink
{
    /// <summary>A short name for logs and metrics.</summary>
    string Name { get; }

    /// <summary>
    /// Writes a batch, in order, and says per record whether it was written. Connection and server troubles are
    /// results (<see cref="SinkFailureKind"/>), never thrown; cancellation throws. Order contract: a record that was not
    /// written for a reason that is retried (<see cref="SendFailureDetails.WaitsForever"/>,
    /// <see cref="SinkFailureKind.ReferenceNotFound"/>, <see cref="SinkFailureKind.Unexpected"/>) is never followed by a
    /// written record of the same batch: a sink that meets one stops and reports the rest
    /// <see cref="SinkFailureKind.NotAttempted"/> (or all-or-nothing, as a transaction Bundle is). A sink whose target
    /// orders by key and whose records never refer across keys may keep this per key: <see cref="EventHubSink"/> does,
    /// per device (the partition key), so it can send each device's records of a batch as one batch.
    /// </summary>
    Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken);
}
