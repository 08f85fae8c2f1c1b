using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

/// <summary>
/// The pipeline stages' writes ride the inbox writer's group commit (issue 16 §1). Each test first hands the writer a
/// write that holds its thread inside a transaction until released, so what is queued meanwhile is known to share the
/// next transaction: no timing is involved.
/// </summary>
public sealed class PipelineWriteTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_Write_Commits_In_The_Same_Acknowledging_Transaction_As_The_Inbox_Rows_Queued_With_It()
    {
        using var temp = new TempStore(StoreDurability.Full);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        using var hold = new HeldWrite(writer);
        await hold.Started.WaitAsync(s_deadline);

        InboxCommit group = writer.Enqueue(TempStore.Message("""{"n":1}"""), out _);
        writer.Enqueue(TempStore.Message("""{"n":2}"""), out _);
        long seenRows = -1;
        long seenSynchronous = -1;
        bool acknowledgedBefore = true;
        Task write = writer.WriteAsync((connection, transaction) =>
        {
            seenRows = Scalar(connection, transaction, "SELECT COUNT(*) FROM inbox;");
            seenSynchronous = Scalar(connection, transaction, "PRAGMA synchronous;");
            acknowledgedBefore = group.IsCompleted;
        });
        hold.Release();

        await group.AsValueTask().AsTask().WaitAsync(s_deadline);
        await write.WaitAsync(s_deadline);
        await hold.Completion.WaitAsync(s_deadline);
        Assert.Equal(2, seenRows);
        Assert.False(acknowledgedBefore, "the rows are acknowledged only after the transaction that carries the write commits");
        // The shared transaction is the acknowledging one, at the configured FULL; the held one had only a write: NORMAL.
        Assert.Equal(2, seenSynchronous);
        Assert.Equal(1, hold.Synchronous);
        Assert.Equal(2, writer.TransactionCount);
        Assert.Equal(2, writer.WriteCount);
    }

    [Fact]
    public async Task A_Failing_Write_Rolls_Back_Only_Itself_And_The_Rows_And_Other_Writes_Commit()
    {
        using var temp = new TempStore();
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        using var hold = new HeldWrite(writer);
        await hold.Started.WaitAsync(s_deadline);

        Task<long> append = writer.AppendAsync(TempStore.Message("""{"n":1}"""));
        Task failing = writer.WriteAsync((connection, transaction) =>
        {
            InboxTable.DeleteThrough(connection, transaction, long.MaxValue);
            throw new InvalidOperationException("mapping state broken");
        });
        Task letter = writer.WriteAsync((connection, transaction) => DeadLetterTable.Insert(connection, transaction, new DeadLetter
        {
            CreatedUtc = DateTime.UtcNow,
            Stage = PipelineStage.Map,
            Kind = DeadLetterKind.InvalidDeviceMessage,
            Error = "body: not JSON",
            Message = TempStore.Message("not json"),
        }));
        hold.Release();

        long id = await append.WaitAsync(s_deadline);
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(s_deadline));
        await letter.WaitAsync(s_deadline);
        Assert.Equal("mapping state broken", error.Message);
        using SqliteConnection reader = temp.Store.OpenConnection();
        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(reader, 10, rows);
        Assert.Equal(id, Assert.Single(rows).Id);
        Assert.Equal(1, DeadLetterTable.Count(reader));
        Assert.Equal(2, writer.TransactionCount);
    }

    [Fact]
    public async Task At_The_Size_Cap_Inbox_Rows_Are_Refused_But_A_Write_That_Frees_Space_Commits()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        for (int i = 0; i < 3; i++)
        {
            await writer.AppendAsync(TempStore.Message($$"""{"n":{{i}}}""")).WaitAsync(s_deadline);
        }

        temp.Store.Options.MaxSizeBytes = 1; // already above: every inbox row is refused from now on
        using var hold = new HeldWrite(writer);
        await hold.Started.WaitAsync(s_deadline);
        Task<long> refused = writer.AppendAsync(TempStore.Message("""{"n":3}"""));
        Task delete = writer.WriteAsync((connection, transaction) => InboxTable.DeleteThrough(connection, transaction, long.MaxValue));
        hold.Release();

        await Assert.ThrowsAsync<StoreFullException>(() => refused.WaitAsync(s_deadline));
        await delete.WaitAsync(s_deadline);
        using SqliteConnection reader = temp.Store.OpenConnection();
        Assert.Equal(0, InboxTable.Count(reader));
        Assert.Equal(1, writer.RejectedCount);
        Assert.Equal(2, writer.WriteCount);
    }

    [Fact]
    public async Task Writes_Queued_When_The_Writer_Is_Disposed_Are_Committed_And_Later_Ones_Refused()
    {
        using var temp = new TempStore();
        var writer = new InboxWriter(temp.Store, new WorkSignal());
        var hold = new HeldWrite(writer);
        await hold.Started.WaitAsync(s_deadline);
        Task first = writer.WriteAsync((connection, transaction) => InboxTable.DeleteThrough(connection, transaction, 0));
        Task second = writer.WriteAsync((connection, transaction) => DeadLetterTable.Insert(connection, transaction, new DeadLetter
        {
            Stage = PipelineStage.Persist,
            Kind = DeadLetterKind.Unknown,
            Error = "queued at dispose",
            Message = TempStore.Message("{}"),
        }));

        ValueTask disposing = writer.DisposeAsync();
        hold.Release();
        await disposing.AsTask().WaitAsync(s_deadline);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        using SqliteConnection reader = temp.Store.OpenConnection();
        Assert.Equal(1, DeadLetterTable.Count(reader));
        Assert.Throws<ObjectDisposedException>(() => { _ = writer.WriteAsync((_, _) => { }); });
        hold.Dispose();
    }

    [Fact]
    public async Task A_Writer_Whose_Store_Cannot_Be_Opened_Refuses_Work_Naming_Why()
    {
        using var temp = new TempStore();
        // The store's folder is gone before the writer opens its connection: SQLite cannot create the file.
        Directory.Delete(Path.GetDirectoryName(temp.Options.Path)!, recursive: true);
        var writer = new InboxWriter(temp.Store, new WorkSignal());
        // Queued before the writer's thread failed, the write fails with the cause; refused after, it names the cause.
        Task first;
        try
        {
            first = writer.WriteAsync((_, _) => { });
        }
        catch (ObjectDisposedException refused)
        {
            first = Task.FromException(refused.InnerException ?? refused);
        }

        await Assert.ThrowsAsync<SqliteException>(() => first.WaitAsync(s_deadline));

        // Map and Persist depend on the writer now: what they are told must say why it stopped, not only that it did.
        ObjectDisposedException refusedWrite = Assert.Throws<ObjectDisposedException>(() => { _ = writer.WriteAsync((_, _) => { }); });
        Assert.IsType<SqliteException>(refusedWrite.InnerException);
        ObjectDisposedException refusedRow = Assert.Throws<ObjectDisposedException>(() => writer.Enqueue(TempStore.Message("{}"), out _));
        Assert.Contains(refusedRow.InnerException!.Message, refusedRow.Message, StringComparison.Ordinal);
    }

    private static long Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>A write that keeps the writer's thread inside its transaction until released (or the deadline passes).</summary>
    private sealed class HeldWrite : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldWrite(InboxWriter writer) => Completion = writer.WriteAsync((connection, transaction) =>
        {
            Synchronous = Scalar(connection, transaction, "PRAGMA synchronous;");
            _started.SetResult();
            Assert.True(_release.Wait(s_deadline), "the test never released the held write");
        });

        public Task Started => _started.Task;

        public Task Completion { get; }

        public long Synchronous { get; private set; }

        public void Release() => _release.Set();

        public void Dispose()
        {
            _release.Set();
            _release.Dispose();
        }
    }
}
