using System.Text.Json;
using MedTechEdge.Storage;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Tools;

/// <summary><c>replay</c>: historic messages in three formats through the module's own pipeline into NDJSON.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-replay-" + Guid.NewGuid().ToString("N"));

    public ReplayCommandTests() => Directory.CreateDirectory(Path.Combine(_folder, "input"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            // The replayed Observations (fhir/Observation.ndjson; the inputs' names are not resource types).
            MedTechEdge.TestPeers.FhirResourceAssert.NdjsonValid(_folder);
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private string Input => Path.Combine(_folder, "input");

    private string StorePath => Path.Combine(_folder, "store.db");

    private Task<(int Exit, string Out, string Err)> ReplayAsync(params string[] args) =>
        ModuleCommand.RunInProcessAsync(string.Empty, ["replay", .. args, "--store", StorePath, "--MedTechEdge:Output:NdjsonFolder=" + Path.Combine(_folder, "fhir")]);

    private static string Message(string device, int minute, int heartRate) =>
        $$"""{"deviceId":"{{device}}","patientId":"p-{{device}}","measurementTime":"2026-03-01T08:{{minute:00}}:00Z","heartRate":{{heartRate}}}""";

    [Fact]
    public async Task Ndjson_Json_And_Csv_Files_Become_Observations_And_Bad_Input_Becomes_Dead_Letters_Naming_File_And_Line()
    {
        // Line 3 is cut off; line 4 has no patient, so Create mode cannot map it (a Map dead letter).
        File.WriteAllLines(Path.Combine(Input, "a.ndjson"), [
            Message("r-nd", 1, 61),
            Message("r-nd", 2, 62),
            """{"deviceId":"r-nd","heartRate":""",
            """{"deviceId":"r-nd","measurementTime":"2026-03-01T08:04:00Z","heartRate":64}""",
            string.Empty,
        ]);
        File.WriteAllText(Path.Combine(Input, "b.json"), "[\n  " + Message("r-js", 1, 71) + ",\n  " + Message("r-js", 2, 72) + "\n]\n");
        // Row 4 has a field too many.
        File.WriteAllText(Path.Combine(Input, "c.csv"), """
            deviceId,patientId,measurementTime,heartRate
            r-csv,p-r-csv,2026-03-01T08:01:00Z,81
            "r-csv","p-r-csv","2026-03-01T08:02:00Z",82
            r-csv,p-r-csv,2026-03-01T08:03:00Z,83,extra
            """);

        (int exit, string output, string errors) = await ReplayAsync("--input", Input, "--progress", "0");

        Assert.Equal(ReplayCommand.DeadLettersExitCode, exit);
        JsonElement summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal(9, summary.GetProperty("messages").GetInt64());
        Assert.Equal(6, summary.GetProperty("measurements").GetInt64());
        Assert.Equal(6, summary.GetProperty("observations").GetInt64());
        Assert.Equal(3, summary.GetProperty("deadLetters").GetInt64());
        Assert.Equal(
            summary.GetProperty("resourcesWritten").GetInt64(),
            summary.GetProperty("written").EnumerateObject().Sum(p => p.Value.GetInt64()));

        string[] observations = File.ReadAllLines(Path.Combine(_folder, "fhir", "Observation.ndjson"));
        var values = observations.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("valueQuantity").GetProperty("value").GetInt32()).Order().ToArray();
        Assert.Equal([61, 62, 71, 72, 81, 82], values);

        Assert.Contains(Path.Combine(Input, "a.ndjson") + ":3: dead letter", errors, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Input, "a.ndjson") + ":4: dead letter", errors, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Input, "c.csv") + ":4: dead letter", errors, StringComparison.Ordinal);
        Assert.Contains("5 field(s), the header has 4", errors, StringComparison.Ordinal);
        // Not a terminal: plain progress lines, no carriage returns.
        Assert.Contains("replay: 9/9 messages (100 %)", errors, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', errors);

        // The broken line is kept as it was, to be fixed and requeued.
        MedTechStore store = MedTechStore.Open(new StoreOptions { Path = StorePath });
        using var connection = store.OpenConnection();
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 10, letters);
        DeadLetter invalid = Assert.Single(letters, l => l.Stage == PipelineStage.Replay && l.Message.Body.Length < 40);
        Assert.Equal("""{"deviceId":"r-nd","heartRate":""", System.Text.Encoding.UTF8.GetString(invalid.Message.Body));
        Assert.Equal(0, InboxTable.Count(connection));
        Assert.Equal(0, OutboxTable.Count(connection));
    }

    [Fact]
    public async Task A_Clean_Replay_Exits_0_And_A_Single_Json_Document_Is_One_Message()
    {
        string file = Path.Combine(Input, "one.txt");
        File.WriteAllText(file, Message("r-one", 5, 90));

        (int exit, string output, string errors) = await ReplayAsync("--input", file, "--format", "json");

        Assert.True(exit == 0, errors);
        JsonElement summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, summary.GetProperty("messages").GetInt64());
        Assert.Equal(1, summary.GetProperty("observations").GetInt64());
        Assert.Equal(0, summary.GetProperty("deadLetters").GetInt64());
    }

    [Fact]
    public async Task Progress_Counts_Only_The_Replays_Own_Messages_When_The_Store_Already_Holds_Some()
    {
        // Two messages left in the store's inbox (requeued dead letters) are mapped by the same Map stage ahead of the
        // replay's own; they used to be counted on top of the input's total (51/50, 102 %).
        MedTechStore store = MedTechStore.Open(new StoreOptions { Path = StorePath });
        using (var connection = store.OpenConnection())
        {
            for (int i = 0; i < 2; i++)
            {
                using var transaction = connection.BeginTransaction();
                DeadLetterTable.Insert(connection, transaction, new DeadLetter
                {
                    CreatedUtc = DateTime.UtcNow,
                    Stage = PipelineStage.Map,
                    Kind = DeadLetterKind.NormalizationError,
                    Error = "left from an earlier run",
                    Message = new InboxMessage { Source = "test", Body = System.Text.Encoding.UTF8.GetBytes(Message("r-old", 10 + i, 50)) },
                });
                transaction.Commit();
            }

            foreach (long id in DeadLetterTable.Ids(connection))
            {
                Assert.True(DeadLetterTable.Requeue(connection, id, DateTime.UtcNow));
            }

            Assert.Equal(2, InboxTable.Count(connection));
        }

        File.WriteAllLines(Path.Combine(Input, "three.ndjson"), [Message("r-new", 1, 61), Message("r-new", 2, 62), Message("r-new", 3, 63)]);

        (int exit, string output, string errors) = await ReplayAsync("--input", Input, "--progress", "0");

        Assert.True(exit == 0, errors);
        Assert.Contains("replay: 3/3 messages (100 %)", errors, StringComparison.Ordinal);
        foreach (string line in errors.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.False(line.StartsWith("replay: 4/", StringComparison.Ordinal) || line.StartsWith("replay: 5/", StringComparison.Ordinal), line);
        }

        // The earlier messages were still mapped: the replay counts its own, the pipeline does its whole job.
        Assert.Equal(5, File.ReadAllLines(Path.Combine(_folder, "fhir", "Observation.ndjson")).Length);
        Assert.Equal(3, JsonDocument.Parse(output).RootElement.GetProperty("messages").GetInt64());
    }

    [Fact]
    public async Task A_File_Of_Unknown_Format_Or_A_Missing_Input_Is_A_Usage_Error()
    {
        File.WriteAllText(Path.Combine(Input, "notes.txt"), "{}");

        (int exit, _, string errors) = await ReplayAsync("--input", Input);
        Assert.Equal(1, exit);
        Assert.Contains("give --format", errors, StringComparison.Ordinal);

        (exit, _, errors) = await ReplayAsync("--input", Path.Combine(_folder, "missing"));
        Assert.Equal(1, exit);
        Assert.Contains("no file or directory", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_Fields_Keep_Quotes_Commas_And_Line_Breaks_And_Only_Unquoted_Json_Numbers_Become_Numbers()
    {
        string file = Path.Combine(Input, "q.csv");
        File.WriteAllText(file, "a,b,c,d,e\n\"x, \"\"y\"\"\",\"0042\",0042,-1.5e3,\n7,\"two\nlines\",true,0,\"\"\n");

        ReplayItem[] items = [.. ReplayInput.Read(file, ReplayFormat.Csv)];

        Assert.Equal(2, items.Length);
        Assert.Equal("""{"a":"x, \u0022y\u0022","b":"0042","c":"0042","d":-1.5e3}""", System.Text.Encoding.UTF8.GetString(items[0].Body));
        Assert.Equal(2, items[0].Line);
        Assert.Equal("""{"a":7,"b":"two\nlines","c":"true","d":0,"e":""}""", System.Text.Encoding.UTF8.GetString(items[1].Body));
        Assert.Equal(3, items[1].Line);
    }

    [Fact]
    public void A_Json_Array_Gives_Each_Element_Its_Line_And_A_Syntax_Error_Keeps_What_Came_Before()
    {
        string file = Path.Combine(Input, "arr.json");
        File.WriteAllText(file, "[\n {\"a\":1},\n\n {\"b\":2},\n {\"c\": }\n]");

        ReplayItem[] items = [.. ReplayInput.Read(file, ReplayFormat.Json)];

        Assert.Equal([2, 4, 5], items.Select(i => i.Line));
        Assert.Null(items[0].Problem);
        Assert.Null(items[1].Problem);
        Assert.NotNull(items[2].Problem);
        Assert.StartsWith("{\"c\"", System.Text.Encoding.UTF8.GetString(items[2].Body), StringComparison.Ordinal);
    }
}
