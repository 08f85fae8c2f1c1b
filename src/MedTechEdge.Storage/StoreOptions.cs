namespace MedTechEdge.Storage;

/// <summary>Settings of the embedded store (configuration section <c>MedTechEdge:Store</c>).</summary>
public sealed class StoreOptions
{
    /// <summary>Path of the SQLite database file. Its folder is created when missing.</summary>
    public string Path { get; set; } = "./data/medtechedge.db";

    /// <summary>Commit durability; see <see cref="StoreDurability"/>.</summary>
    public StoreDurability Durability { get; set; } = StoreDurability.Full;

    /// <summary>
    /// Cap on the bytes the store's data may occupy (0: no cap). At the cap the module stops accepting
    /// device messages (MQTT 5: PUBACK 0x97 Quota exceeded; 3.1.1: no PUBACK) instead of dropping data
    /// it already acknowledged; it accepts again as soon as delivery frees space. Default 1 GiB.
    /// </summary>
    public long MaxSizeBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Undelivered data older than this is removed and counted (zero: kept until delivered, the
    /// default; expiring acknowledged data is the operator's decision). Measured from when the
    /// module received the message (inbox) or produced the resource (outbox); dead letters are kept.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.Zero;

    /// <summary>Most inbox messages committed in one group-commit transaction.</summary>
    public int MaxCommitBatch { get; set; } = 1024;
}
