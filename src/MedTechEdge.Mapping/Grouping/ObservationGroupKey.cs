namespace MedTechEdge.Mapping.Grouping;

/// <summary>
/// What puts two measurements into one Observation group (medtech-semantics §4): device, type, patient, encounter,
/// correlation id and the period bucket, each compared on its own. MedTech joins them into one string with "-", so
/// patient "p-e" without an encounter and patient "p" with encounter "e" share a group there, and one patient's values
/// land in the other's Observation; kept apart here (docs/mappings.md, "Deliberate differences"). A point-in-time
/// bucket is its second (<paramref name="Second"/>, no <paramref name="Bucket"/> text: the id's period segment has
/// second precision, so the same second is the same segment); any other bucket is its text.
/// </summary>
internal readonly record struct ObservationGroupKey(string DeviceId, string Type, string? PatientId, string? EncounterId, string? CorrelationId, string? Bucket, long Second);
