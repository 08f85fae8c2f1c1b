using System.Text.Json;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Sink <c>EventHub</c>: device messages received over MQTT go upstream to Event Hubs (REST), partitioned by device,
/// and a refusal of the credentials keeps everything in the store until they are fixed. The module builds its own
/// HttpClient, which trusts only the system store, so these tests use the endpoint's plain HTTP listener; the client's
/// HTTPS path is tested in MedTechEdge.EventHubs.Tests.
/// </summary>
public sealed class EventHubSinkTests
{
    [Fact]
    public async Task By_Default_The_Normalized_Measurements_Go_Up_In_MedTechs_Schema()
    {
        using var endpoint = new FakeEventHubsEndpoint();
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null,
            "--MedTechEdge:Sink=EventHub", "--MedTechEdge:EventHub:ConnectionString=" + endpoint.PlainHttpConnectionString);

        await module.PublishAsync("bed-2", """{"deviceId":"bed-2","patientId":"p-2","measurementTime":"2026-11-21T10:00:00Z","heartRate":63}""");
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 1, TimeSpan.FromSeconds(30), "the measurement sent");

        JsonElement sent = Assert.Single(Assert.Single(endpoint.Publications).Events.EnumerateArray());
        Assert.Equal("Measurement", sent.GetProperty("UserProperties").GetProperty("kind").GetString());
        Assert.Equal("bed-2", sent.GetProperty("BrokerProperties").GetProperty("PartitionKey").GetString());
        JsonElement measurement = JsonDocument.Parse(sent.GetProperty("Body").GetString()!).RootElement;
        Assert.Equal("heartrate", measurement.GetProperty("type").GetString());
        Assert.Equal("2026-11-21T10:00:00Z", measurement.GetProperty("occurrenceTimeUtc").GetString());
        Assert.Equal("bed-2", measurement.GetProperty("deviceId").GetString());
        Assert.Equal("p-2", measurement.GetProperty("patientId").GetString());
        Assert.Equal("63", measurement.GetProperty("properties")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Resources_Go_Upstream_Signed_And_Partitioned_By_Device()
    {
        using var endpoint = new FakeEventHubsEndpoint();
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null,
            "--MedTechEdge:Sink=EventHub", "--MedTechEdge:EventHub:Content=Resources", "--MedTechEdge:EventHub:ConnectionString=" + endpoint.PlainHttpConnectionString);

        await module.PublishAsync("bed-3", """{"deviceId":"bed-3","patientId":"p-3","measurementTime":"2026-11-21T10:00:00Z","heartRate":64}""");
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, TimeSpan.FromSeconds(30), "Patient, Device and Observation sent");

        var events = new List<JsonElement>();
        foreach (FakeEventHubsEndpoint.Publication publication in endpoint.Publications)
        {
            Assert.True(publication.IsSignedFor(endpoint.PlainHttpResourceUri));
            events.AddRange(publication.Events.EnumerateArray());
        }

        Assert.Equal(["Patient", "Device", "Observation"], events.ConvertAll(e => e.GetProperty("UserProperties").GetProperty("kind").GetString()));
        Assert.All(events, e => Assert.Equal("bed-3", e.GetProperty("BrokerProperties").GetProperty("PartitionKey").GetString()));
        JsonElement observation = JsonDocument.Parse(events[2].GetProperty("Body").GetString()!).RootElement;
        Assert.Equal(64, observation.GetProperty("valueQuantity").GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task Refused_Credentials_Keep_The_Data_In_The_Store()
    {
        using var endpoint = new FakeEventHubsEndpoint();
        string wrongKey = endpoint.PlainHttpConnectionString.Replace(FakeEventHubsEndpoint.Key, "d3Jvbmcta2V5", StringComparison.Ordinal);
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null,
            "--MedTechEdge:Sink=EventHub", "--MedTechEdge:EventHub:Content=DeviceMessages", "--MedTechEdge:EventHub:ConnectionString=" + wrongKey);

        await module.PublishAsync("bed-4", """{"deviceId":"bed-4","patientId":"p-4","measurementTime":"2026-11-21T10:00:00Z","heartRate":65}""");
        await module.PublishAsync("bed-4", """not even json: raw messages go up as they are""");
        await Eventually.TrueAsync(() => endpoint.Publications.Count >= 2, TimeSpan.FromSeconds(30), "the sink to try and retry");

        // 401 every time: nothing delivered, nothing dropped, nothing dead-lettered.
        Assert.Equal(0, module.Persist.PersistedCount);
        await module.StopAsync();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + module.StorePath);
        connection.Open();
        Assert.Equal(2, MedTechEdge.Storage.OutboxTable.Count(connection));
        Assert.Equal(0, MedTechEdge.Storage.DeadLetterTable.Count(connection));
    }
}
