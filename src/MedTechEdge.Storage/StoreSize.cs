using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>How many bytes the store's data occupies.</summary>
public static class StoreSize
{
    /// <summary>
    /// Pages in use times the page size. Pages freed by delivered messages go to the free list and are
    /// reused, so the figure falls as the backlog drains even though the file does not shrink.
    /// </summary>
    public static long UsedBytes(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size();";
        return (long)pragma.ExecuteScalar()!;
    }
}
