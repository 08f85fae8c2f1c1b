using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Observability;

/// <summary>
/// The scrape-time view of the store: one SQLite connection kept for every scrape and readiness check (opening one
/// per request would cost more than the queries), used by one caller at a time.
/// </summary>
internal sealed class StoreProbe(MedTechStore store, Func<SqliteConnection> open) : IDisposable
{
    private readonly Lock _gate = new();

    public StoreProbe(MedTechStore store)
        : this(store, store.OpenConnection)
    {
    }

    private SqliteConnection? _connection;

    /// <summary>Reads the backlog and the bytes in use; false, with the reason, when the store does not answer.</summary>
    public bool TryRead(out StoreBacklog backlog, out long usedBytes, out string? error)
    {
        (StoreBacklog Backlog, long UsedBytes) read = default;
        bool answered = TryQuery(connection => read = (StoreGauges.Read(connection), StoreSize.UsedBytes(connection)), out error);
        (backlog, usedBytes) = read;
        return answered;
    }

    /// <summary>
    /// Whether the store answers at its path, by a read that costs the same on an empty store and on a backlog
    /// (<see cref="StoreHealth"/>): readiness asks it at every probe, from the first milliseconds of a start on.
    /// </summary>
    public bool TryAnswer(out string? error) => TryQuery(StoreHealth.Check, out error);

    private bool TryQuery(Action<SqliteConnection> query, out string? error)
    {
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
                _connection ??= open();
                query(_connection);
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
