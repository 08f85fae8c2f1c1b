using System.Globalization;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using Microsoft.Data.Sqlite;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Issue 12 item 6: every acknowledged message ends as measurements, a dead letter with a reason, or a counter an
/// operator sees. Mosquitto's client publishes to the module (NDJSON output), as a device would.
/// </summary>
public sealed class NothingVanishesTests
{
    private static readonly HttpClient s_http = new();

    [Fact]
    public async Task Empty_Non_UTF8_Unmatched_And_Clockless_Messages_Each_Leave_A_Trace()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync();
        string badBytes = Path.Combine(module.Folder, "latin1.bin");
        await File.WriteAllBytesAsync(badBytes, [.. "{\"deviceId\":\"d\xe9\"}"u8[..13], 0xE9, (byte)'"', (byte)'}']);

        await PublishAsync(module, "-n");
        await PublishAsync(module, "-f", badBytes);
        await PublishAsync(module, "-m", """{"firmware":"4.2"}""");
        await PublishAsync(module, "-m", """{"deviceId":"d1","patientId":"p1","measurementTime":"1970-01-01T00:00:00Z","heartRate":70}""");
        await PublishAsync(module, "-m", """{"deviceId":"d1","patientId":"p1","measurementTime":"2026-11-21T10:00:00Z","heartRate":70}""");
        await Eventually.TrueAsync(() => module.Map.MappedCount == 5, TimeSpan.FromSeconds(30), "all five messages mapped");

        List<DeadLetter> letters = DeadLetters(module);
        Assert.Equal([DeadLetterKind.InvalidDeviceMessage, DeadLetterKind.InvalidDeviceMessage, DeadLetterKind.TimestampOutOfRange], letters.ConvertAll(l => l.Kind));
        Assert.Empty(letters[0].Message.Body);
        Assert.Contains("timestampExpression", letters[2].Error, StringComparison.Ordinal);

        // The unmatched one is no error in MedTech: it is counted where an operator looks.
        string metrics = await s_http.GetStringAsync($"http://{module.MetricsEndPoint}/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("medtechedge_unmatched_messages_total", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Equal(1, module.Map.UnmatchedCount);
        Assert.Equal(1, module.Map.MeasurementCount);
    }

    private static async Task PublishAsync(ModuleUnderTest module, params string[] payload)
    {
        string[] arguments = ["-h", "127.0.0.1", "-p", module.MqttEndPoint.Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", "devices/d1/messages/events/", .. payload];
        MosquittoClientResult result = await MosquittoClients.PublishAsync(TimeSpan.FromSeconds(20), arguments);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    private static List<DeadLetter> DeadLetters(ModuleUnderTest module)
    {
        using var connection = new SqliteConnection("Data Source=" + module.StorePath);
        connection.Open();
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 100, letters);
        return letters;
    }
}
