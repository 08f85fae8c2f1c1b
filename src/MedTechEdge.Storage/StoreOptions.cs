namespace MedTechEdge.Storage;

/// <summary>Settings of the embedded store (configuration section <c>MedTechEdge:Store</c>).</summary>
public sealed class StoreOptions
{
    /// <summary>Path of the SQLite database file. Its folder is created when missing.</summary>
    public string Path { get; set; } = "./data/medtechedge.db";

    /// <summary>Commit durability; see <see cref="StoreDurability"/>.</summary>
    public StoreDurability Durability { get; set; } = StoreDurability.Full;

    /// <summary>Most inbox messages committed in one group-commit transaction.</summary>
    public int MaxCommitBatch { get; set; } = 1024;
}
