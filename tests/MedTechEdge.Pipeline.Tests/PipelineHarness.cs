using System.Text;
using MedTechEdge.Mapping;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Pipeline.Tests;

/// <summary>A store in a temporary folder with the bundled mappings, and the stages over it.</summary>
internal sealed class PipelineHarness : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-pipeline-" + Guid.NewGuid().ToString("N"));

    public PipelineHarness()
    {
        Store = MedTechStore.Open(new StoreOptions { Path = Path.Combine(_folder, "store.db"), Durability = StoreDurability.Normal });
        DeviceMapping = DeviceMapping.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mappings", "devicecontent.json")));
        FhirMapping = FhirMapping.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mappings", "fhirmapping.json")));
    }

    public MedTechStore Store { get; }

    /// <summary>The bundled device mapping unless a test sets its own before <see cref="Map"/>.</summary>
    public DeviceMapping DeviceMapping { get; set; }

    public FhirMapping FhirMapping { get; }

    public PipelineSignals Signals { get; } = new();

    public PipelineOptions Options { get; } = new()
    {
        FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        IdlePoll = TimeSpan.FromMilliseconds(50),
    };

    public string Folder => _folder;

    /// <param name="writer">The group-commit writer the stage's writes ride, as in the module; null: the stage's own transactions.</param>
    public MapStage Map(InboxWriter? writer = null) => new(Store, DeviceMapping, FhirMapping, Signals, Options, TimeProvider.System, NullLogger<MapStage>.Instance, writer: writer);

    /// <param name="writer">The group-commit writer the stage's writes ride, as in the module; null: the stage's own transactions.</param>
    public PersistStage Persist(IResourceSink sink, InboxWriter? writer = null) => new(Store, sink, Signals, Options, TimeProvider.System, NullLogger<PersistStage>.Instance, writer: writer);

    public async Task AppendAsync(params string[] bodies)
    {
        await using var writer = new InboxWriter(Store, Signals.Inbox);
        foreach (string body in bodies)
        {
            await writer.AppendAsync(new InboxMessage { ReceivedUtc = DateTime.UtcNow, Source = "test", DeviceId = "d", Body = Encoding.UTF8.GetBytes(body) });
        }
    }

    public async Task AppendAsync(params InboxMessage[] messages)
    {
        await using var writer = new InboxWriter(Store, Signals.Inbox);
        foreach (InboxMessage message in messages)
        {
            await writer.AppendAsync(message);
        }
    }

    public void AddOutbox(params (string Type, string Id)[] resources) =>
        AddOutbox(Array.ConvertAll(resources, r => (r.Type, r.Id, "d")));

    public void AddOutbox(params (string Type, string Id, string Device)[] resources)
    {
        using SqliteConnection connection = Store.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using (var insert = new OutboxInsert(connection, transaction))
        {
            foreach ((string type, string id, string device) in resources)
            {
                insert.Insert(new OutboxRecord { CreatedUtc = DateTime.UtcNow, DeviceId = device, Kind = type is "Patient" or "Device" or "Encounter" ? OutboxKind.Identity : OutboxKind.Resource, ResourceType = type, ResourceId = id, Body = Encoding.UTF8.GetBytes($$"""{"resourceType":"{{type}}","id":"{{id}}"}""") });
            }
        }

        transaction.Commit();
    }

    public (long Inbox, long Outbox, long DeadLetters) Counts()
    {
        using SqliteConnection connection = Store.OpenConnection();
        return (InboxTable.Count(connection), OutboxTable.Count(connection), DeadLetterTable.Count(connection));
    }

    public List<DeadLetter> DeadLetters()
    {
        using SqliteConnection connection = Store.OpenConnection();
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 100, letters);
        return letters;
    }

    public List<OutboxRecord> Outbox()
    {
        using SqliteConnection connection = Store.OpenConnection();
        var records = new List<OutboxRecord>();
        OutboxTable.ReadOldest(connection, 1000, records);
        return records;
    }

    public static async Task WaitAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
