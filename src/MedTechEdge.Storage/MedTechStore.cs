using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage;

/// <summary>
/// The embedded SQLite store. Opens the database in WAL mode, creates the schema, and hands out
/// connections with the configured durability. Each stage keeps its own connection: SQLite allows one
/// writer at a time, and WAL lets readers run beside it.
/// </summary>
public sealed class MedTechStore
{
    private readonly string _connectionString;
    private readonly string _synchronous;

    // The level for commits that only move durable rows: NORMAL in WAL mode (see OpenPipelineConnection), and the
    // configured one if the file system refused WAL, since the reasoning that makes NORMAL safe holds only for a log.
    private string _moveSynchronous;

    private MedTechStore(string connectionString, StoreOptions options)
    {
        _connectionString = connectionString;
        _synchronous = options.Durability == StoreDurability.Full ? "FULL" : "NORMAL";
        _moveSynchronous = _synchronous;
        Options = options;
    }

    /// <summary>The options the store was opened with.</summary>
    public StoreOptions Options { get; }

    /// <summary>
    /// Held by every writer of this process for the length of one transaction. SQLite admits one writer
    /// at a time; without this, a stage that finds the database locked sleeps in SQLite's busy handler
    /// (up to 100 ms a try) while the group-commit loop keeps committing, and starves. With it, writers
    /// queue in order and none of them sleeps. Other processes (the tool subcommands) still rely on
    /// <c>busy_timeout</c>.
    /// </summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Opens (and creates when missing) the database at <see cref="StoreOptions.Path"/>.</summary>
    public static MedTechStore Open(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string fullPath = System.IO.Path.GetFullPath(options.Path);
        string? folder = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Each stage holds one long-lived connection; pooling would only keep closed ones alive.
            Pooling = false,
        };
        var store = new MedTechStore(builder.ToString(), options);
        using SqliteConnection connection = store.OpenConnection();
        using (SqliteCommand wal = connection.CreateCommand())
        {
            // WAL is a property of the database file and persists; set it once at open.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            // The pragma answers with the mode now in force: a file system without shared memory keeps the old one.
            if (string.Equals(wal.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                store._moveSynchronous = "NORMAL";
            }
        }

        using (SqliteCommand temp = connection.CreateCommand())
        {
            // A migration sorts whole tables (SELECT DISTINCT, CREATE INDEX over message bytes, up to Store:MaxSizeBytes):
            // with temporary storage in memory SQLite's sorter never spills, so this one connection sorts on disk.
            temp.CommandText = "PRAGMA temp_store=FILE;";
            temp.ExecuteNonQuery();
        }

        Migrate(connection);

        return store;
    }

    private static void Migrate(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        long version = (long)command.ExecuteScalar()!;
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'inbox';";
        bool fresh = (long)command.ExecuteScalar()! == 0;
        if (version > StoreSchema.Version)
        {
            throw new InvalidOperationException($"The store was written by a newer MedTechEdge (schema {version}, this build knows {StoreSchema.Version}).");
        }

        if (fresh)
        {
            command.CommandText = StoreSchema.Create;
            command.ExecuteNonQuery();
        }
        else
        {
            for (long step = Math.Max(version, 1); step < StoreSchema.Version; step++)
            {
                command.CommandText = StoreSchema.Migrations[step];
                command.ExecuteNonQuery();
            }
        }

        command.CommandText = $"PRAGMA user_version={StoreSchema.Version};";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Opens a new connection with the store's per-connection settings applied; its commits are as durable as
    /// <see cref="StoreOptions.Durability"/> says. For every writer whose commit is acknowledged to someone outside
    /// the store (the inbox's group commit, an Event Hubs checkpoint, an operator's requeue), and for readers.
    /// </summary>
    public SqliteConnection OpenConnection() => Open(_synchronous);

    /// <summary>
    /// Opens a connection for a pipeline stage (Map, Persist) whose commits only move data that is already durable in
    /// the store, and are repeated when lost: <c>synchronous=NORMAL</c> whatever <see cref="StoreOptions.Durability"/>
    /// says, so such a commit appends to the write-ahead log without an fsync of its own. In WAL mode the log is
    /// appended in commit order and recovered as a prefix, so a power cut can only undo the newest of these commits,
    /// never one before an acknowledged (fsynced) inbox commit: the moved rows are back in the inbox or the outbox and
    /// are mapped or sent again, with the same deterministic ids. docs/reliability.md, "Which commits are fsynced".
    /// </summary>
    public SqliteConnection OpenPipelineConnection() => Open(_moveSynchronous);

    /// <summary>
    /// Sets the <c>synchronous</c> level of <paramref name="connection"/> (a setting of the connection, changeable
    /// between transactions): the configured one for a commit that acknowledges something, NORMAL for one that only
    /// moves durable rows, as on <see cref="OpenPipelineConnection"/>.
    /// </summary>
    internal void SetSynchronous(SqliteConnection connection, bool acknowledging)
    {
        using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous={(acknowledging ? _synchronous : _moveSynchronous)};";
        pragma.ExecuteNonQuery();
    }

    /// <summary>True when acknowledging commits wait for an fsync and pipeline-only ones need not.</summary>
    internal bool AcknowledgingIsStricter => _synchronous != _moveSynchronous;

    private SqliteConnection Open(string synchronous)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand pragmas = connection.CreateCommand();
        // synchronous and busy_timeout are per connection. A writer that finds the database locked
        // waits instead of failing: only one stage commits at a time, and commits are short.
        // temp_store=MEMORY: SQLite then keeps statement and savepoint journals (sqlite.org/tempfiles.html, "Statement
        // Journal Files") in memory, where by default one over 64 KiB spills to a temporary file. Every pipeline write
        // rides the inbox writer's transaction in a savepoint, and a Map batch's is larger than that: each page it first
        // touched was also written to the file, and `strace` of the module at 100 clients counted three times the bytes
        // of the WAL itself going there (docs/benchmarks.md, issue 16 §1). In memory a journal holds the pages of one
        // savepoint or statement, a few hundred KiB for a Map batch. The migration at open sorts on disk (Create).
        pragmas.CommandText = $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;";
        pragmas.ExecuteNonQuery();
        return connection;
    }
}
