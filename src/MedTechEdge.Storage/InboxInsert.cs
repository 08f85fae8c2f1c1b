using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MedTechEdge.Storage;

/// <summary>
/// The inbox insert as one prepared SQLite statement driven directly: bind, step, reset. The group commit runs it
/// once per acknowledged device message, and ADO.NET's command path (a data reader, parameter objects and a
/// statement enumeration per row) cost more than SQLite's own work. It runs inside whatever transaction the
/// connection has open, like any statement on that connection.
/// </summary>
internal sealed class InboxInsert : IDisposable
{
    private const string Sql = """
        INSERT INTO inbox (received_utc, source, device_id, topic, properties, system_properties, body, correlation_id, device_binding)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);
        """;

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    public InboxInsert(SqliteConnection connection)
    {
        _connection = connection;
        Check(raw.sqlite3_prepare_v2(connection.Handle, Sql, out _statement));
    }

    /// <summary>Inserts <paramref name="message"/> and returns its row id.</summary>
    public long Insert(InboxMessage message)
    {
        try
        {
            Check(raw.sqlite3_bind_int64(_statement, 1, message.ReceivedUtc.Ticks));
            Check(raw.sqlite3_bind_text(_statement, 2, message.Source));
            Check(message.DeviceId is null ? raw.sqlite3_bind_null(_statement, 3) : raw.sqlite3_bind_text(_statement, 3, message.DeviceId));
            Check(message.Topic is null ? raw.sqlite3_bind_null(_statement, 4) : raw.sqlite3_bind_text(_statement, 4, message.Topic));
            BindBytes(5, message.Properties);
            BindBytes(6, message.SystemProperties);
            BindBytes(7, message.Body);
            Check(raw.sqlite3_bind_text(_statement, 8, message.CorrelationId));
            Check(message.Binding is null ? raw.sqlite3_bind_null(_statement, 9) : raw.sqlite3_bind_text(_statement, 9, message.Binding.Encode()));
            int step = raw.sqlite3_step(_statement);
            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }

            return raw.sqlite3_last_insert_rowid(_connection.Handle);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void BindBytes(int index, byte[] bytes)
    {
        // An empty body is a zero-length BLOB, not NULL (the columns are NOT NULL).
        Check(bytes.Length == 0 ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, bytes));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }
}
