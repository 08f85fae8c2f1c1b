using MedTechEdge.Storage;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>A module store in a temporary folder with its inbox writer, deleted afterwards.</summary>
internal sealed class IngressTestStore : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-eh-ingress-" + Guid.NewGuid().ToString("N"));

    public IngressTestStore()
    {
        Options = new StoreOptions { Path = Path.Combine(_folder, "store.db"), Durability = StoreDurability.Normal };
        Store = MedTechStore.Open(Options);
        Inbox = new InboxWriter(Store, new WorkSignal());
    }

    public StoreOptions Options { get; }

    public MedTechStore Store { get; }

    public InboxWriter Inbox { get; }

    public long InboxCount()
    {
        using Microsoft.Data.Sqlite.SqliteConnection connection = Store.OpenConnection();
        return InboxTable.Count(connection);
    }

    public List<InboxMessage> InboxMessages()
    {
        using Microsoft.Data.Sqlite.SqliteConnection connection = Store.OpenConnection();
        var messages = new List<InboxMessage>();
        InboxTable.ReadOldest(connection, 10_000, messages);
        return messages;
    }

    public List<DeadLetter> DeadLetters()
    {
        using Microsoft.Data.Sqlite.SqliteConnection connection = Store.OpenConnection();
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 1000, letters);
        return letters;
    }

    public PartitionCheckpoint? Checkpoint(string @namespace, string hub, string partition, string group = "$Default")
    {
        using Microsoft.Data.Sqlite.SqliteConnection connection = Store.OpenConnection();
        return PartitionCheckpointTable.Find(connection, new ConsumerGroupScope(@namespace, hub, group), partition);
    }

    public async ValueTask DisposeAsync()
    {
        await Inbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
