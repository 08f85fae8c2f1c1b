using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

public sealed class InboxCommitTests
{
    [Fact]
    public async Task Messages_Queued_While_A_Commit_Runs_Share_The_Next_Commit_And_Complete_Together()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());

        // Holding the store's write lock stalls the commit loop, as a long fsync would.
        await temp.Store.WriteLock.WaitAsync();
        InboxCommit first = writer.Enqueue(TempStore.Message("""{"n":0}"""), out _);
        var joined = new List<(InboxCommit Commit, int Index)>();
        for (int i = 1; i <= 50; i++)
        {
            joined.Add((writer.Enqueue(TempStore.Message($$"""{"n":{{i}}}"""), out int index), index));
        }

        Assert.False(first.IsCompleted);
        InboxCommit shared = joined[^1].Commit;
        Assert.All(joined, j => Assert.False(j.Commit.IsCompleted));
        // The stalled loop can have taken one open commit at most; everything after it waits in one more.
        var distinct = new HashSet<InboxCommit>(joined.ConvertAll(j => j.Commit)) { first };
        Assert.InRange(distinct.Count, 1, 2);
        temp.Store.WriteLock.Release();

        await first.AsValueTask();
        await shared.AsValueTask();
        Assert.All(joined, j => Assert.True(j.Commit.IsCompleted));
        Assert.Null(shared.Error);
        long previous = 0;
        foreach ((InboxCommit commit, int index) in joined)
        {
            long id = commit.RowId(index);
            Assert.True(id > previous, "row ids follow the order of Enqueue calls");
            previous = id;
        }

        using SqliteConnection connection = temp.Store.OpenConnection();
        Assert.Equal(51, InboxTable.Count(connection));
    }

    [Fact]
    public async Task A_Commit_Wakes_Every_Waiter_Once()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        await temp.Store.WriteLock.WaitAsync();
        writer.Enqueue(TempStore.Message("{}"), out _);
        InboxCommit commit = writer.Enqueue(TempStore.Message("{}"), out _);

        int woken = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int waiters = 20;
        for (int i = 0; i < waiters; i++)
        {
            commit.OnCompleted(_ =>
            {
                if (Interlocked.Increment(ref woken) == waiters)
                {
                    all.TrySetResult();
                }
            }, null);
        }

        Task[] awaited = new Task[5];
        for (int i = 0; i < awaited.Length; i++)
        {
            awaited[i] = commit.AsValueTask().AsTask();
        }

        Assert.Equal(0, Volatile.Read(ref woken));
        temp.Store.WriteLock.Release();
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(awaited);
        Assert.Equal(waiters, Volatile.Read(ref woken));

        // Registered after completion: runs at once.
        var late = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        commit.OnCompleted(_ => late.TrySetResult(), null);
        await late.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_Full_Batch_Is_Sealed_And_Later_Messages_Start_The_Next()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        temp.Store.Options.MaxCommitBatch = 10;
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        await temp.Store.WriteLock.WaitAsync();

        var commits = new List<InboxCommit>();
        for (int i = 0; i < 35; i++)
        {
            InboxCommit commit = writer.Enqueue(TempStore.Message($$"""{"n":{{i}}}"""), out int index);
            Assert.InRange(index, 0, 9);
            if (!commits.Contains(commit))
            {
                commits.Add(commit);
            }
        }

        Assert.InRange(commits.Count, 4, 5);
        temp.Store.WriteLock.Release();
        foreach (InboxCommit commit in commits)
        {
            await commit.AsValueTask();
        }

        using SqliteConnection connection = temp.Store.OpenConnection();
        Assert.Equal(35, InboxTable.Count(connection));
        Assert.Equal(35, writer.CommittedCount);
    }

    [Fact]
    public async Task A_Refused_Commit_Fails_Every_Message_In_It_With_The_Reason()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        temp.Store.Options.MaxSizeBytes = 1; // already above: everything is refused
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        await temp.Store.WriteLock.WaitAsync();
        writer.Enqueue(TempStore.Message("{}"), out _);
        InboxCommit commit = writer.Enqueue(TempStore.Message("{}"), out _);
        writer.Enqueue(TempStore.Message("{}"), out _);
        temp.Store.WriteLock.Release();

        await Assert.ThrowsAsync<StoreFullException>(async () => await commit.AsValueTask());
        Assert.IsType<StoreFullException>(commit.Error);
        Assert.Throws<InvalidOperationException>(() => commit.RowId(0));
        Assert.Equal(0, InboxTable.Count(connection));
    }

    [Fact]
    public async Task Dispose_Commits_What_Is_Queued_Before_It_Returns()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        var writer = new InboxWriter(temp.Store, new WorkSignal());
        await temp.Store.WriteLock.WaitAsync();
        var commits = new List<InboxCommit>();
        for (int i = 0; i < 20; i++)
        {
            commits.Add(writer.Enqueue(TempStore.Message("{}"), out _));
        }

        ValueTask disposing = writer.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => writer.Enqueue(TempStore.Message("{}"), out _));
        temp.Store.WriteLock.Release();
        await disposing;

        Assert.All(commits, c => Assert.True(c.IsCompleted && c.Error is null));
        using SqliteConnection connection = temp.Store.OpenConnection();
        Assert.Equal(20, InboxTable.Count(connection));
    }
}
