using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Observability;

/// <summary>
/// The scrape-time view of the store: one SQLite connection kept for every scrape and readiness check (opening one
/// per request would cost more than the queries), used by one caller at a time.
/// </summary>
internal sealed class StoreProbe(MedTechStore store) : IDisposable
{
    private readonly Lock _gate = new();
    private SqliteConnection? _connection;

    /// <summary>Reads the backlog and the bytes in use; false, with the reason, when the store does not answer.</summary>
    public bool TryRead(out StoreBacklog backlog, out long usedBytes, out string? error)
    {
        backlog = default;
        usedBytes = 0;
        // An open connection keeps working on a file that was deleted or whose volume went away (the inode lives on),
        // so the path is checked as well: a store that is no longer where the module writes it is not a store.
        string path = store.Options.Path;
        if (!File.Exists(path))
        {
            error = $"the store file '{Path.GetFullPath(path)}' does not exist";
            return false;
        }

        lock (_gate)
        {
            try
            {
                _connection ??= store.OpenConnection();
                backlog = StoreGauges.Read(_connection);
                usedBytes = StoreSize.UsedBytes(_connection);
                error = null;
                return true;
            }
            catch (SqliteException ex)
            {
                // Opened again at the next call: the failure may have been passing (a full disk, a locked file).
                _connection?.Dispose();
                _connection = null;
                error = "the store does not answer: " + ex.Message;
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }
}
