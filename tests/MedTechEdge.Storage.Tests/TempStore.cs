using MedTechEdge.Storage;

namespace MedTechEdge.Storage.Tests;

/// <summary>A store in its own temporary folder, deleted afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-store-" + Guid.NewGuid().ToString("N"));

    public TempStore(StoreDurability durability = StoreDurability.Full)
    {
        Options = new StoreOptions { Path = System.IO.Path.Combine(_folder, "store.db"), Durability = durability };
        Store = MedTechStore.Open(Options);
    }

    public StoreOptions Options { get; }

    public MedTechStore Store { get; }

    public MedTechStore Reopen() => MedTechStore.Open(Options);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static InboxMessage Message(string body, string device = "dev-1", string source = MessageSources.Mqtt) => new()
    {
        ReceivedUtc = new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc),
        Source = source,
        DeviceId = device,
        Topic = $"devices/{device}/messages/events/",
        PropertiesJson = """{"p":"1"}""",
        SystemPropertiesJson = """{"iothub-connection-device-id":"dev-1"}""",
        Body = System.Text.Encoding.UTF8.GetBytes(body),
    };
}
