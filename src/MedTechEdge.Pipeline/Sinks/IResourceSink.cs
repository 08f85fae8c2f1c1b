using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Sinks;

/// <summary>Where the Persist stage writes FHIR resources: a FHIR server, or local NDJSON files.</summary>
public interface IResourceSink
{
    /// <summary>A short name for logs and metrics.</summary>
    string Name { get; }

    /// <summary>
    /// Writes a batch, in order. The batch succeeds or fails as a whole: a sink that writes one FHIR
    /// transaction Bundle has no partial outcome. Connection and server troubles are reported as
    /// <see cref="SinkOutcome.Transient"/>, never thrown; cancellation throws.
    /// </summary>
    Task<SinkResult> WriteAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken);
}
