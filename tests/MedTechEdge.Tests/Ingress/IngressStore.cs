using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Tests.Ingress;

/// <summary>A store in a temporary folder for the ingress tests, and its inbox rows; deleted afterwards.</summary>
internal sealed class IngressStore : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-ingress-" + Guid.NewGuid().ToString("N"));

    public IngressStore() =>
        Store = MedTechStore.Open(new StoreOptions { Path = Path.Combine(_folder, "store.db"), Durability = StoreDurability.Normal });

    public MedTechStore Store { get; }

    /// <summary>The inbox rows, oldest first.</summary>
    public List<InboxMessage> Inbox()
    {
        using SqliteConnection connection = Store.OpenConnection();
        var rows = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 100, rows);
        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
