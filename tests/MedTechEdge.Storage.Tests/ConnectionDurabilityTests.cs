using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

/// <summary>
/// Which commits wait for an fsync (issue 16 §1): the acknowledging ones as configured, the pipeline stages' never.
/// SQLite reports the level a connection commits with as <c>PRAGMA synchronous</c>: 2 is FULL, 1 is NORMAL.
/// </summary>
public sealed class ConnectionDurabilityTests
{
    [Theory]
    [InlineData(StoreDurability.Full, 2L)]
    [InlineData(StoreDurability.Normal, 1L)]
    public void The_Acknowledging_Connection_Commits_With_The_Configured_Durability(StoreDurability durability, long expected)
    {
        using var temp = new TempStore(durability);
        using SqliteConnection connection = temp.Store.OpenConnection();

        Assert.Equal(expected, Synchronous(connection));
    }

    [Theory]
    [InlineData(StoreDurability.Full)]
    [InlineData(StoreDurability.Normal)]
    public void A_Pipeline_Connection_Commits_Without_An_Fsync_Of_Its_Own_Whatever_The_Durability(StoreDurability durability)
    {
        using var temp = new TempStore(durability);
        using SqliteConnection connection = temp.Store.OpenPipelineConnection();

        Assert.Equal(1L, Synchronous(connection));
        // The rest of the per-connection settings are the store's: a writer that meets another process's lock waits.
        Assert.Equal(10000L, Scalar(connection, "PRAGMA busy_timeout;"));
        Assert.Equal("wal", (string)new SqliteCommand("PRAGMA journal_mode;", connection).ExecuteScalar()!);
    }

    [Fact]
    public void Every_Store_Connection_Keeps_Its_Statement_And_Savepoint_Journals_In_Memory()
    {
        using var temp = new TempStore(StoreDurability.Full);
        using SqliteConnection acknowledging = temp.Store.OpenConnection();
        using SqliteConnection pipeline = temp.Store.OpenPipelineConnection();

        // 2 is MEMORY (sqlite.org/pragma.html#pragma_temp_store).
        Assert.Equal(2L, Scalar(acknowledging, "PRAGMA temp_store;"));
        Assert.Equal(2L, Scalar(pipeline, "PRAGMA temp_store;"));
    }

    private static long Synchronous(SqliteConnection connection) => Scalar(connection, "PRAGMA synchronous;");

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }
}
