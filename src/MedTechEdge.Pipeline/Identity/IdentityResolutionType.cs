namespace MedTechEdge.Pipeline.Identity;

/// <summary>How Observations find their Patient, Device and Encounter (the managed service's "Resolution type", medtech-semantics §6).</summary>
public enum IdentityResolutionType
{
    /// <summary>Patient and Device are written with deterministic ids from the message's patient and device ids; no server reads.</summary>
    Create,

    /// <summary>The Device must exist on the server (by identifier); its <c>patient</c> reference names the Patient; an encounter id, when present, must match an Encounter.</summary>
    Lookup,

    /// <summary>As <see cref="Lookup"/>, and every message must carry an encounter id.</summary>
    LookupWithEncounter,
}
