using MedTechEdge.Mapping.Normalization;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Tools;

/// <summary>What the mapping debugger found, before it is written as JSON.</summary>
internal sealed class MappingDebugResult
{
    /// <summary>Every measurement the device mapping produced, with the error of the FHIR step next to a failing one.</summary>
    public List<DebugMeasurement> Measurements { get; } = [];

    /// <summary>One entry per (device, patient, encounter) key the FHIR step met, in the order met.</summary>
    public List<DebugIdentity> Identities { get; } = [];

    public List<FhirResource> Observations { get; } = [];

    /// <summary>Every failure, by message (and measurement, for the FHIR step).</summary>
    public List<DebugFailure> Errors { get; } = [];
}

/// <summary>A measurement of message <paramref name="Message"/>, and why it cannot become an Observation, if it cannot.</summary>
internal sealed record DebugMeasurement(int Message, Measurement Measurement, DebugFailure? Failure);

/// <summary>How one identity key resolved.</summary>
/// <param name="DeviceId">The measurement's device id.</param>
/// <param name="PatientId">The measurement's patient id, if the mapping extracts one.</param>
/// <param name="EncounterId">The measurement's encounter id, if the mapping extracts one.</param>
/// <param name="Source">Where the references come from.</param>
/// <param name="References">The references the Observations get; null when the key failed.</param>
/// <param name="Requests">The FHIR requests resolution makes at persist time, in order (none in Create mode here).</param>
/// <param name="Failure">Why the key did not resolve; null when it did.</param>
internal sealed record DebugIdentity(string DeviceId, string? PatientId, string? EncounterId, DebugIdentitySource Source, ResourceReferences? References, IReadOnlyList<string> Requests, DebugFailure? Failure);

/// <summary>Where the debugger's references come from.</summary>
internal enum DebugIdentitySource
{
    /// <summary>Create mode: the deterministic ids the module derives (docs/medtech-semantics.md §6.3).</summary>
    Derived,

    /// <summary>A Lookup mode without a server: placeholders naming what would be looked up at persist time.</summary>
    Placeholder,

    /// <summary>A Lookup mode with <c>--fhir-url</c>: what the server answered.</summary>
    Server,
}
