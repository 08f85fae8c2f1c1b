using System.Globalization;
using System.Text.Json;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// The module's console output as IoT Edge collects it, with the JSON formatter at Debug: every line one JSON object,
/// one message's entries linked by its correlation id from ingest to persist or dead letter, and nothing at Information
/// or above that holds the patient id or the body.
/// </summary>
public sealed class JsonLogTests : IDisposable
{
    private const string PatientId = "patient-SECRET-4711";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medtechedge-jsonlog-" + Guid.NewGuid().ToString("N"));

    public JsonLogTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Json_Lines_Link_One_Message_From_Ingest_To_Persist_And_Dead_Letter_Without_Patient_Data_At_Information()
    {
        var environment = new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Default"] = "Debug",
        };
        string good = $$"""{"deviceId":"log-good","patientId":"{{PatientId}}","measurementTime":"2026-03-01T08:00:00Z","heartRate":77}""";
        string bad = $$"""{"deviceId":"log-bad","patientId":"{{PatientId}}","heartRate":""";
        await using ModuleProcess module = await ModuleProcess.StartAsync(_folder, environment);
        await PublishAsync(module, "log-good", good);
        await PublishAsync(module, "log-bad", bad);
        string observations = Path.Combine(_folder, "data", "fhir", "Observation.ndjson");
        await Eventually.TrueAsync(() => File.Exists(observations) && module.Output.Contains("moved to dead letters", StringComparison.Ordinal) && Entries(module).Any(e => e.Category.EndsWith("PersistStage", StringComparison.Ordinal) && e.Message.Contains("Observation/", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the Observation, its persist entry and the dead letter");
        await module.InterruptAsync();

        List<Entry> entries = Entries(module);
        string goodId = Ingest(entries, "log-good");
        string badId = Ingest(entries, "log-bad");
        Assert.NotEqual(goodId, badId);
        Assert.Contains(entries, e => e.CorrelationId == goodId && e.Category.EndsWith("MapStage", StringComparison.Ordinal) && e.Level == "Debug");
        Assert.Contains(entries, e => e.CorrelationId == goodId && e.Category.EndsWith("PersistStage", StringComparison.Ordinal) && e.Message.Contains("Observation/", StringComparison.Ordinal));
        Entry letter = Assert.Single(entries, e => e.CorrelationId == badId && e.Level == "Warning");
        Assert.Contains("InvalidDeviceMessage", letter.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(entries, e => e.CorrelationId == badId && e.Category.EndsWith("PersistStage", StringComparison.Ordinal));

        foreach (Entry entry in entries.Where(e => e.Level is "Information" or "Warning" or "Error" or "Critical"))
        {
            Assert.DoesNotContain(PatientId, entry.Line, StringComparison.Ordinal);
            Assert.DoesNotContain("heartRate", entry.Line, StringComparison.Ordinal);
            Assert.DoesNotContain("log-good", entry.Line, StringComparison.Ordinal);
        }

        // UTC timestamps, as the collector reads them.
        Assert.All(entries, e => Assert.EndsWith("Z", e.Timestamp, StringComparison.Ordinal));
    }

    private static async Task PublishAsync(ModuleProcess module, string device, string json)
    {
        MosquittoClientResult result = await MosquittoClients.PublishAsync(
            TimeSpan.FromSeconds(20),
            "-h", "127.0.0.1", "-p", module.MqttPort.ToString(CultureInfo.InvariantCulture), "-q", "1", "-i", "pub-" + device,
            "-t", $"devices/{device}/messages/events/", "-m", json);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    private static string Ingest(List<Entry> entries, string device) =>
        Assert.Single(entries, e => e.Category.EndsWith("MqttIngressHandler", StringComparison.Ordinal) && e.DeviceId == device).CorrelationId!;

    /// <summary>Every line of the output as a JSON entry; a line that is not JSON fails the test.</summary>
    private static List<Entry> Entries(ModuleProcess module)
    {
        var entries = new List<Entry>();
        foreach (string line in module.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON line ({ex.Message}): {line}");
            }

            JsonElement state = root.TryGetProperty("State", out JsonElement s) ? s : default;
            entries.Add(new Entry(
                line,
                root.GetProperty("Timestamp").GetString()!,
                root.GetProperty("LogLevel").GetString()!,
                root.GetProperty("Category").GetString()!,
                root.GetProperty("Message").GetString()!,
                Field(state, "CorrelationId"),
                Field(state, "DeviceId")));
        }

        return entries;
    }

    private static string? Field(JsonElement state, string name) =>
        state.ValueKind == JsonValueKind.Object && state.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record Entry(string Line, string Timestamp, string Level, string Category, string Message, string? CorrelationId, string? DeviceId);
}
