namespace MedTechEdge.Pipeline;

/// <summary>What the Map stage puts in the outbox for the sink.</summary>
public enum MapOutput
{
    /// <summary>FHIR resources: Observations, and the Patients and Devices they need (FHIR server and NDJSON sinks).</summary>
    Resources,

    /// <summary>
    /// The normalized measurements (medtech-semantics §3, camelCase), one record each, with no FHIR step: for an upstream
    /// where a cloud MedTech-compatible service does the FHIR part.
    /// </summary>
    Measurements,

    /// <summary>The device messages as received, one record each, with no mapping at all.</summary>
    DeviceMessages,
}
