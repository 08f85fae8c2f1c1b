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
        Assert.Contains("\"heartRate\":70", shown.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("dl-1", shown.GetProperty("systemProperties").GetProperty("iothub-connection-device-id").GetString());

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
    public async Task Unknown_Ids_And_Missing_Stores_Are_Reported()
    {
        (int exit, _, string errors) = await RunAsync("deadletters", "list", "--store", "/nonexistent/store.db");
        Assert.Equal(1, exit);
        Assert.Contains("no store at", errors, StringComparison.Ordinal);
    }
}
