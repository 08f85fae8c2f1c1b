namespace MedTechEdge.Storage;

/// <summary>
/// What an outbox row is, so Persist and the metrics act on a column instead of searching the body. Stored as the
/// integer value: the values are part of the store format and never change.
/// </summary>
public enum OutboxKind
{
    /// <summary>A FHIR resource written as it is (a point-in-time Observation).</summary>
    Resource = 0,

    /// <summary>A SampledData Observation collected over a window, merged with the server's copy on write (medtech-semantics §7).</summary>
    SampledDataWindow = 1,

    /// <summary>A Patient, Device or Encounter that later rows reference; written ahead of them (reliability guarantee 6).</summary>
    Identity = 2,

    /// <summary>A normalized measurement (output <c>Measurements</c>).</summary>
    Measurement = 3,

    /// <summary>A device message sent on as it came in (output <c>DeviceMessages</c>).</summary>
    DeviceMessage = 4,
}
