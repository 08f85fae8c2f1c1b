using MedTechEdge.Mapping;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Stages;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// The store a module finds after an outage, made once per run by the product's own code: device messages through the
/// group commit (<see cref="InboxWriter"/>), the first half mapped by the Map stage into outbox rows (with their
/// source messages and identities, as Map writes them), then as many again left waiting in the inbox. Each start gets a
/// copy of the file, so every start sees the same rows.
/// </summary>
internal static class StartupStore
{
    /// <summary>Writes the store at <paramref name="path"/>: <paramref name="rows"/> outbox resources and as many inbox messages.</summary>
    public static async Task<(long Inbox, long Outbox)> SeedAsync(string path, int rows, DeviceMapping deviceMapping, FhirMapping fhirMapping)
    {
        MedTechStore store = MedTechStore.Open(new StoreOptions { Path = path, Durability = StoreDurability.Normal, MaxSizeBytes = 0 });
        var signals = new PipelineSignals();
        await using (var writer = new InboxWriter(store, signals.Inbox))
        {
            await EnqueueAsync(writer, "mapped", rows);
            // Map turns the first half into outbox rows; nothing persists them, so they stay as an outage leaves them.
            var map = new MapStage(store, deviceMapping, fhirMapping, signals, new PipelineOptions(), TimeProvider.System, NullLogger<MapStage>.Instance);
            await map.StartAsync(CancellationToken.None);
            while (map.MappedCount < rows)
            {
                await Task.Delay(50);
                if (map.DeadLetteredCount > 0)
                {
                    throw new InvalidOperationException("The seed messages were dead-lettered.");
                }
            }

            await map.StopAsync(CancellationToken.None);
            await EnqueueAsync(writer, "waiting", rows);
        }

        using (SqliteConnection connection = store.OpenConnection())
        using (SqliteCommand checkpoint = connection.CreateCommand())
        {
            // Everything into the main file, so one file is the whole store to copy.
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        return Count(path);
    }

    /// <summary>The inbox and outbox rows of the store at <paramref name="path"/>.</summary>
    public static (long Inbox, long Outbox) Count(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return (InboxTable.Count(connection), OutboxTable.Count(connection));
    }

    /// <summary>A fresh copy of the seeded store for one start, where the module's settings put it.</summary>
    public static void CopyTo(string seeded, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(seeded, path);
    }

    private static async Task EnqueueAsync(InboxWriter writer, string run, int count)
    {
        InboxCommit? last = null;
        for (int i = 0; i < count; i++)
        {
            last = writer.Enqueue(new InboxMessage { ReceivedUtc = DateTime.UtcNow, Source = "mqtt", DeviceId = BenchDeviceMessages.DeviceId(run, i), Body = BenchDeviceMessages.Body(run, i) }, out _);
        }

        await last!.AsValueTask();
    }
}
