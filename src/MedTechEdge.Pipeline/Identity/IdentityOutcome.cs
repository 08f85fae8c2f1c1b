using MedTechEdge.Mapping.Transform;
using MedTechEdge.Storage;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// What resolving an identity gave: the references (with any Patient or Device that must be written first, in Create
/// mode), or a permanent error (the message becomes a dead letter with <see cref="ErrorKind"/>, named as the managed
/// service named it), or a transient one (the batch waits and retries).
/// </summary>
internal readonly record struct IdentityOutcome(ResourceReferences? References, DeadLetterKind? ErrorKind, string? Error, bool IsTransient)
{
    /// <summary>Resources to write ahead of the Observations that use these references.</summary>
    public IReadOnlyList<FhirResource> Emit { get; init; } = [];

    public static IdentityOutcome Found(ResourceReferences references, IReadOnlyList<FhirResource>? emit = null) =>
        new(references, null, null, false) { Emit = emit ?? [] };

    public static IdentityOutcome Failed(DeadLetterKind kind, string error) => new(null, kind, error, false);

    public static IdentityOutcome Unavailable(string error) => new(null, null, error, true);
}
