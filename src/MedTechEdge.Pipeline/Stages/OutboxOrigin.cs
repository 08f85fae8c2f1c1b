using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Stages;

/// <summary>
/// Beside each resource of a Map batch: the device message it came from (null for a SampledData window, which
/// collects many) and the typed outbox columns Persist needs: its kind, the identity key and the device time.
/// </summary>
internal readonly record struct OutboxOrigin(InboxMessage? Source, OutboxKind Kind, string? PatientId = null, string? EncounterId = null, DateTime? DeviceTimeUtc = null);
