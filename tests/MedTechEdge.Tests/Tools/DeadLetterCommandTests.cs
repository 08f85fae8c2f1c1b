using System.Text.Json;

namespace MedTechEdge.Tests.Tools;

public sealed class DeadLetterCommandTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => ModuleCommand.RunInProcessAsync(string.Empty, args);

    [Fact]
    public async Task A_Dead_Letter_Can_Be_Listed_Shown_And_Requeued_Into_The_Inbox()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync();
        // No patient id: Create mode cannot resolve the identity, so the message is a dead letter.
        await module.PublishAsync("dl-1", """{"deviceId":"dl-1","measurementTime":"2026-11-21T10:00:00Z","heartRate":70}""");
        await Eventually.TrueAsync(() => module.Map.DeadLetteredCount == 1, TimeSpan.FromSeconds(20), "the dead letter");
        await module.StopAsync();

        (int exit, string output, _) = await RunAsync("deadletters", "list", "--store", module.StorePath);
        Assert.Equal(0, exit);
        JsonElement letter = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal("PatientIdentityNotDefinedException", letter.GetProperty("errorKind").GetString());
        Assert.Contains("PatientIdentityNotDefined", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("dl-1", letter.GetProperty("deviceId").GetString());
        long id = letter.GetProperty("id").GetInt64();

        (exit, output, _) = await RunAsync("deadletters", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", module.StorePath);
        Assert.Equal(0, exit);
        JsonElement shown = JsonDocument.Parse(output).RootElement;
        // The body is JSON inside the JSON, not an escaped string.
        Assert.Equal("json", shown.GetProperty("bodyFormat").GetString());
        Assert.Equal(70, shown.GetProperty("body").GetProperty("heartRate").GetInt32());
        Assert.DoesNotContain("\\\"", output, StringComparison.Ordinal);
        Assert.Equal("dl-1", shown.GetProperty("systemProperties").GetProperty("iothub-connection-device-id").GetString());

        (exit, output, _) = await RunAsync("deadletters", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--raw", "--store", module.StorePath);
        Assert.Equal(0, exit);
        Assert.Equal("""{"deviceId":"dl-1","measurementTime":"2026-11-21T10:00:00Z","heartRate":70}""", output);

        (exit, output, _) = await RunAsync("deadletters", "requeue", "--all", "--store", module.StorePath);
        Assert.Equal(0, exit);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("requeued").GetInt32());

        (_, output, _) = await RunAsync("deadletters", "list", "--store", module.StorePath);
        Assert.Equal(0, JsonDocument.Parse(output).RootElement.GetArrayLength());
        var store = MedTechEdge.Storage.MedTechStore.Open(new MedTechEdge.Storage.StoreOptions { Path = module.StorePath });
        using var connection = store.OpenConnection();
        Assert.Equal(1, MedTechEdge.Storage.InboxTable.Count(connection));
    }

    [Fact]
    public async Task A_Body_That_Is_Not_Json_Is_Shown_As_Text_And_Said_So_And_Raw_Gives_Its_Bytes()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-dlshow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "store.db");
        try
        {
            MedTechEdge.Storage.MedTechStore store = MedTechEdge.Storage.MedTechStore.Open(new MedTechEdge.Storage.StoreOptions { Path = path });
            using (var connection = store.OpenConnection())
            using (var transaction = connection.BeginTransaction())
            {
                MedTechEdge.Storage.DeadLetterTable.Insert(connection, transaction, new MedTechEdge.Storage.DeadLetter
                {
                    CreatedUtc = DateTime.UtcNow,
                    Stage = MedTechEdge.Storage.PipelineStage.Map,
                    Kind = MedTechEdge.Storage.DeadLetterKind.InvalidDeviceMessage,
                    Error = "not JSON",
                    Message = new MedTechEdge.Storage.InboxMessage { Source = "test", Body = System.Text.Encoding.UTF8.GetBytes("{\"hr\":7") },
                });
                transaction.Commit();
            }

            (int exit, string output, _) = await RunAsync("deadletters", "show", "1", "--store", path);
            Assert.Equal(0, exit);
            JsonElement shown = JsonDocument.Parse(output).RootElement;
            Assert.Equal("text", shown.GetProperty("bodyFormat").GetString());
            Assert.Contains("not JSON", shown.GetProperty("bodyError").GetString(), StringComparison.Ordinal);
            Assert.Equal("{\"hr\":7", shown.GetProperty("body").GetString());

            (exit, output, _) = await RunAsync("deadletters", "show", "1", "--raw", "--store", path);
            Assert.Equal(0, exit);
            Assert.Equal("{\"hr\":7", output);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Unknown_Ids_And_Missing_Stores_Are_Reported()
    {
        (int exit, _, string errors) = await RunAsync("deadletters", "list", "--store", "/nonexistent/store.db");
        Assert.Equal(1, exit);
        Assert.Contains("no store at", errors, StringComparison.Ordinal);
    }
}
