namespace MedTechEdge.Storage;

/// <summary>How hard a commit is pushed to disk before the store reports it durable.</summary>
public enum StoreDurability
{
    /// <summary>
    /// <c>PRAGMA synchronous=FULL</c> in WAL mode: every commit is fsynced, so an acknowledged message
    /// survives a power loss. The default, because acknowledged data must never be lost.
    /// </summary>
    Full,

    /// <summary>
    /// <c>PRAGMA synchronous=NORMAL</c> in WAL mode: commits survive a process crash but the last
    /// transactions may roll back after a power loss. Faster on slow flash.
    /// </summary>
    Normal,
}
