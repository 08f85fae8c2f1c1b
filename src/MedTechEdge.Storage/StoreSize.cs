using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>How many bytes the store's data occupies.</summary>
public static class StoreSize
{
    private const string Query = "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size();";

    /// <summary>
    /// Pages in use times the page size. Pages freed by delivered messages go to the free list and are
    /// reused, so the figure falls as the backlog drains even though the file does not shrink.
    /// </summary>
    public static long UsedBytes(SqliteConnection connection)
    {
        using SqliteCommand query = Prepare(connection);
        return UsedBytes(query);
    }

    /// <summary>
    /// The query of <see cref="UsedBytes(SqliteConnection)"/>, compiled once, for a connection that asks before every
    /// commit (the group-commit loop): parsing it each time cost more than running it, on the acknowledgement's path.
    /// Run it only outside a transaction of that connection.
    /// </summary>
    public static SqliteCommand Prepare(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteCommand query = connection.CreateCommand();
        query.CommandText = Query;
        query.Prepare();
        return query;
    }

    /// <summary>Runs a query from <see cref="Prepare"/>.</summary>
    public static long UsedBytes(SqliteCommand prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return (long)prepared.ExecuteScalar()!;
    }
}
