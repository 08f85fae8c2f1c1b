using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Pipeline.Identity;

/// <summary>
/// What a Lookup gave: the references, or a permanent error (the message becomes a dead letter with
/// <see cref="ErrorKind"/>, named as the managed service named it), or a transient one (the batch waits and retries).
/// </summary>
internal readonly record struct IdentityOutcome(ResourceReferences? References, string? ErrorKind, string? Error, bool IsTransient)
{
    public static IdentityOutcome Found(ResourceReferences references) => new(references, null, null, false);

    public static IdentityOutcome Failed(string kind, string error) => new(null, kind, error, false);

    public static IdentityOutcome Unavailable(string error) => new(null, null, error, true);
}
