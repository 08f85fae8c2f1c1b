using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

internal static class StoreQueries
{
    // Table names come from this assembly's own constants, never from input.
    public static long Count(SqliteConnection connection, string table)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM " + table + ";";
        return (long)count.ExecuteScalar()!;
    }
}
