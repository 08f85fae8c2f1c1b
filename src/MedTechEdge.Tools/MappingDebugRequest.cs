using MedTechEdge.Mapping;
using MedTechEdge.Pipeline.Identity;

namespace MedTechEdge.Tools;

/// <summary>
/// What the mapping debugger is asked to do, however it was asked (<c>mappings debug</c>, the <c>DebugMapping</c> direct
/// method): typed, so that a command line parser only has to fill it in.
/// </summary>
/// <param name="Device">The device mapping.</param>
/// <param name="Fhir">The FHIR mapping; null shows measurements only, as the module's Normalize-only output does.</param>
/// <param name="Messages">The message bodies, each as JSON text.</param>
internal sealed record MappingDebugRequest(DeviceMapping Device, FhirMapping? Fhir, IReadOnlyList<string> Messages)
{
    /// <summary>The application properties every message gets, a JSON object.</summary>
    public string Properties { get; init; } = "{}";

    /// <summary>The system properties every message gets, a JSON object.</summary>
    public string SystemProperties { get; init; } = "{}";

    /// <summary>How Observations find their Patient, Device and Encounter; the module's <c>Pipeline:ResolutionType</c> unless asked otherwise.</summary>
    public IdentityResolutionType ResolutionType { get; init; } = IdentityResolutionType.Create;

    /// <summary>The system of Device identifiers in the Lookup searches (<c>Pipeline:DefaultDeviceIdentifierSystem</c>).</summary>
    public string? DefaultDeviceIdentifierSystem { get; init; }

    /// <summary>
    /// A FHIR server to make the Lookup modes' searches on, read-only; null shows the searches and placeholder
    /// references instead. Create mode derives its ids without it.
    /// </summary>
    public Uri? FhirUrl { get; init; }
}
