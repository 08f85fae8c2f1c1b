using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// WAL checkpoints forced on the module's store at known instants, from a connection of this tool:
/// <c>PRAGMA wal_checkpoint(TRUNCATE)</c> copies every frame of the WAL into the database, fsyncs, and empties the WAL,
/// holding SQLite's writer lock meanwhile, so the module's commits wait for it (in SQLite's busy handler).
/// </summary>
internal sealed class LatencyCheckpoints
{
    private readonly string _database;
    private readonly TimeSpan _every;
    // A WAL frame: a 24-byte header and one page (the store keeps SQLite's default 4,096-byte pages); 32-byte file header.
    private const long FrameBytes = 24 + 4096;
    private const long WalHeaderBytes = 32;

    private readonly List<(long Start, long End, long Frames)> _done = [];

    public LatencyCheckpoints(string database, TimeSpan every)
    {
        _database = database;
        _every = every;
    }

    /// <summary>Each checkpoint's start and end (Stopwatch ticks) and the WAL's frames just before it (frames it copied, at most).</summary>
    public IReadOnlyList<(long Start, long End, long Frames)> Done => _done;

    /// <summary>Checkpoints every interval until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = _database, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(stop);
        await using (SqliteCommand busy = connection.CreateCommand())
        {
            busy.CommandText = "PRAGMA busy_timeout=10000;";
            await busy.ExecuteNonQueryAsync(stop);
        }

        while (true)
        {
            try
            {
                await Task.Delay(_every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await using SqliteCommand checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            // TRUNCATE reports the emptied WAL (0 frames), so the WAL's size just before tells what it had to copy.
            var wal = new FileInfo(_database + "-wal");
            long frames = wal.Exists ? Math.Max(0, (wal.Length - WalHeaderBytes) / FrameBytes) : 0;
            long start = Stopwatch.GetTimestamp();
            await checkpoint.ExecuteNonQueryAsync(CancellationToken.None);
            _done.Add((start, Stopwatch.GetTimestamp(), frames));
        }
    }

    /// <summary>Whether a message scheduled at <paramref name="scheduled"/> was sent while a checkpoint ran.</summary>
    public bool During(long scheduled)
    {
        foreach ((long start, long end, _) in _done)
        {
            if (scheduled >= start && scheduled <= end)
            {
                return true;
            }
        }

        return false;
    }
}
