using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>Whether the store answers a query, for a readiness probe that may run every few milliseconds.</summary>
public static class StoreHealth
{
    /// <summary>The query: the newest id of the inbox and of the outbox.</summary>
    // The newest id of the two tables the module cannot work without: a read of each b-tree's right edge, a few pages
    // however many rows wait. Counting them (StoreGauges) walks every row, which on a backlog after an outage is the
    // whole table (100,000 outbox rows of FHIR JSON: 120 MB of pages), once per probe, while the stages work through it.
    public const string Query = "SELECT (SELECT max(id) FROM inbox), (SELECT max(id) FROM outbox);";

    /// <summary>Runs one cheap read of the store; a <see cref="SqliteException"/> says why it does not answer.</summary>
    public static void Check(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = Query;
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();
    }
}
