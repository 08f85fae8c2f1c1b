using MedTechEdge.Storage;

namespace MedTechEdge.Tools;

/// <summary>
/// One failure the debugger found, with the dead-letter kind the module would give the message, so a user reads the
/// same name in the debugger as in <c>deadletters list</c>.
/// </summary>
/// <param name="Message">The index of the message in the input.</param>
/// <param name="Measurement">The index of the measurement within the message, for failures of the FHIR step; null for the message as a whole.</param>
/// <param name="Kind">The dead-letter kind; <see cref="DeadLetterKind.Unknown"/> with <paramref name="IsTransient"/> when the server could not answer.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="IsTransient">The FHIR server could not answer: the module would retry the batch, not dead-letter it.</param>
internal sealed record DebugFailure(int Message, int? Measurement, DeadLetterKind Kind, string Error, bool IsTransient = false)
{
    /// <summary>The kind as <c>deadletters list</c> names it, or <c>FhirServerUnavailable</c> for a transient failure.</summary>
    public string KindName => IsTransient ? "FhirServerUnavailable" : DeadLetterKinds.Name(Kind);
}
