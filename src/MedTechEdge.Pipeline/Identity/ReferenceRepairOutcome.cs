namespace MedTechEdge.Pipeline.Identity;

/// <summary>What Persist does with a record refused for a missing reference, once its identity was resolved again.</summary>
internal enum ReferenceRepairAction
{
    /// <summary>The references exist now (Create mode wrote them again): write the record again, at once.</summary>
    Retry,

    /// <summary>The server could not be asked (outage): keep the record and try the repair again after a backoff.</summary>
    Wait,

    /// <summary>The server's identities are others now: the record's references are stale, map its device message again.</summary>
    Remap,

    /// <summary>The refusal survives a fresh resolution: a <c>ReferenceNotFound</c> dead letter.</summary>
    DeadLetter,
}

/// <summary>The action, and why (for the retry log or the dead letter).</summary>
internal readonly record struct ReferenceRepairOutcome(ReferenceRepairAction Action, string Reason);
