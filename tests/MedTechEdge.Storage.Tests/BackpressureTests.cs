using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Storage.Tests;

public sealed class BackpressureTests
{
    [Fact]
    public async Task At_The_Size_Cap_Appends_Fail_And_Once_Delivery_Frees_Space_They_Succeed_Again()
    {
        using var temp = new TempStore(StoreDurability.Normal);
        using SqliteConnection connection = temp.Store.OpenConnection();
        temp.Store.Options.MaxSizeBytes = StoreSize.UsedBytes(connection) + (64 * 1024);
        await using var writer = new InboxWriter(temp.Store, new WorkSignal());
        string body = "{\"pad\":\"" + new string('x', 4000) + "\"}";

        int accepted = 0;
        StoreFullException? full = null;
        for (int i = 0; i < 200 && full is null; i++)
        {
            try
            {
                await writer.AppendAsync(TempStore.Message(body));
                accepted++;
            }
            catch (StoreFullException ex)
            {
                full = ex;
            }
        }

        Assert.NotNull(full);
        Assert.InRange(accepted, 5, 40);
        Assert.Equal(accepted, InboxTable.Count(connection));
        Assert.Equal(1, writer.RejectedCount);

        // Delivery removes the backlog; its pages are free again.
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            InboxTable.DeleteThrough(connection, transaction, long.MaxValue);
            transaction.Commit();
        }

        await writer.AppendAsync(TempStore.Message(body));
        Assert.Equal(1, InboxTable.Count(connection));
    }
}
