using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

public sealed class InboxWriterTests
{
    [Fact]
    public async Task Append_Completes_Only_After_The_Row_Is_Committed_And_Readable_From_Another_Connection()
    {
        using var temp = new TempStore();
        var signal = new WorkSignal();
        await using var writer = new InboxWriter(temp.Store, signal);

        long id = await writer.AppendAsync(TempStore.Message("""{"hr":72}"""));

        using SqliteConnection reader = temp.Store.OpenConnection();
        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(reader, 10, rows);
        InboxMessage row = Assert.Single(rows);
        Assert.Equal(id, row.Id);
        Assert.Equal("""{"hr":72}""", System.Text.Encoding.UTF8.GetString(row.Body));
        Assert.Equal("dev-1", row.DeviceId);
        Assert.Equal("""{"p":"1"}""", row.PropertiesJson);
        Assert.Equal(new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc), row.ReceivedUtc);
        Assert.True(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None), "the commit should wake the Map stage");
    }

    [Fact]
    public async Task A_Commit_That_Fails_Outside_SQLite_Completes_With_The_Error_And_Later_Appends_Still_Commit()
    {
        using var temp = new TempStore();
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        // A row that cannot be bound (a required field left null by a faulty ingress): the failure is not a SqliteException.
        var unbindable = new InboxMessage { ReceivedUtc = DateTime.UtcNow, Source = "test", Body = null! };

        // A deadline, not a sleep: before the fix this commit never completed, and the wait timed out.
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => writer.AppendAsync(unbindable).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.IsNotType<TimeoutException>(error);
        long id = await writer.AppendAsync(TempStore.Message("""{"hr":72}""")).WaitAsync(TimeSpan.FromSeconds(10));
        using SqliteConnection reader = temp.Store.OpenConnection();
        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(reader, 10, rows);
        Assert.Equal(id, Assert.Single(rows).Id);
    }

    [Fact]
    public async Task Empty_Bodies_Missing_Ids_And_Every_Field_Survive_The_Commit()
    {
        using var temp = new TempStore();
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        var sent = new InboxMessage
        {
            ReceivedUtc = new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc).AddTicks(7),
            Source = "route",
            DeviceId = null,
            Topic = null,
            PropertiesJson = "{\"ü\":\"é\"}",
            SystemPropertiesJson = "{}",
            Body = [],
        };

        long first = await writer.AppendAsync(sent);
        long second = await writer.AppendAsync(TempStore.Message("{}"));

        using SqliteConnection reader = temp.Store.OpenConnection();
        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(reader, 10, rows);
        Assert.Equal([first, second], rows.Select(r => r.Id));
        InboxMessage row = rows[0];
        Assert.Equal(sent.ReceivedUtc, row.ReceivedUtc);
        Assert.Equal("route", row.Source);
        Assert.Null(row.DeviceId);
        Assert.Null(row.Topic);
        Assert.Equal(sent.Properties, row.Properties);
        Assert.Empty(row.Body);
    }

    [Fact]
    public async Task Concurrent_Appends_All_Commit_In_Arrival_Order_Per_Sender()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());

        Task<long>[] appends = new Task<long>[500];
        for (int i = 0; i < appends.Length; i++)
        {
            appends[i] = writer.AppendAsync(TempStore.Message($$"""{"n":{{i}}}"""));
        }

        long[] ids = await Task.WhenAll(appends);

        for (int i = 1; i < ids.Length; i++)
        {
            Assert.True(ids[i] > ids[i - 1], "ids follow the order of AppendAsync calls");
        }

        Assert.Equal(500, writer.CommittedCount);
        using SqliteConnection connection = temp.Store.OpenConnection();
        Assert.Equal(500, InboxTable.Count(connection));
    }

    [Fact]
    public async Task Committed_Messages_Survive_Reopening_The_Store()
    {
        using var temp = new TempStore();
        await using (var writer = new InboxWriter(temp.Store, new WorkSignal()))
        {
            await writer.AppendAsync(TempStore.Message("""{"a":1}"""));
            await writer.AppendAsync(TempStore.Message("""{"a":2}"""));
        }

        MedTechStore reopened = temp.Reopen();
        using SqliteConnection connection = reopened.OpenConnection();
        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, rows);
        Assert.Equal(["""{"a":1}""", """{"a":2}"""], rows.ConvertAll(r => System.Text.Encoding.UTF8.GetString(r.Body)));
    }

    [Fact]
    public async Task DeleteThrough_Removes_The_Batch_That_Was_Read_And_Keeps_Later_Arrivals()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        for (int i = 0; i < 5; i++)
        {
            await writer.AppendAsync(TempStore.Message($$"""{"n":{{i}}}"""));
        }

        using SqliteConnection connection = temp.Store.OpenConnection();
        var batch = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 3, batch);
        long later = await writer.AppendAsync(TempStore.Message("""{"n":"late"}"""));

        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            InboxTable.DeleteThrough(connection, transaction, batch[^1].Id);
            transaction.Commit();
        }

        var left = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10, left);
        Assert.Equal(3, left.Count);
        Assert.Equal(later, left[^1].Id);
        Assert.All(left, r => Assert.True(r.Id > batch[^1].Id));
    }

    [Fact]
    public async Task Append_After_Dispose_Fails_Instead_Of_Being_Lost()
    {
        using var temp = new TempStore();
        var writer = new InboxWriter(temp.Store, new WorkSignal());
        await writer.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.AppendAsync(TempStore.Message("{}")));
    }
}
