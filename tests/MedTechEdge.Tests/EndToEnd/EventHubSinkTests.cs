using System.Text;
using System.Text.Json;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers;
using MedTechEdge.TestPeers.EventHubsAmqp;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Tests.EndToEnd;

/// <summary>
/// Sink <c>EventHub</c>: device messages received over MQTT go upstream through Microsoft's producer (AMQP) to the
/// Event Hubs AMQP peer, keyed by device; an outage keeps them in the outbox until the hub is back, in order; an event
/// the hub can never take is a dead letter; refused credentials keep everything in the store.
/// </summary>
public sealed class EventHubSinkTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task By_Default_The_Normalized_Measurements_Go_Up_In_MedTechs_Schema()
    {
        using var peer = new EventHubsAmqpPeer();
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, Args(peer.ConnectionString));

        await module.PublishAsync("bed-2", """{"deviceId":"bed-2","patientId":"p-2","measurementTime":"2026-11-21T10:00:00Z","heartRate":63}""");

        EventHubsRecordedEvent sent = Assert.Single(await peer.WaitForEventsAsync(1, s_deadline));
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("Measurement", sent.Properties["kind"]);
        Assert.Equal("bed-2", sent.Properties["deviceId"]);
        Assert.Equal("bed-2", sent.PartitionKey);
        JsonElement measurement = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal("heartrate", measurement.GetProperty("type").GetString());
        Assert.Equal("2026-11-21T10:00:00Z", measurement.GetProperty("occurrenceTimeUtc").GetString());
        Assert.Equal("bed-2", measurement.GetProperty("deviceId").GetString());
        Assert.Equal("p-2", measurement.GetProperty("patientId").GetString());
        Assert.Equal("63", measurement.GetProperty("properties")[0].GetProperty("value").GetString());
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task Resources_Go_Upstream_In_Order_In_The_Devices_Partition()
    {
        using var peer = new EventHubsAmqpPeer();
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, Args(peer.ConnectionString, "--MedTechEdge:EventHub:Content=Resources"));

        await module.PublishAsync("bed-3", """{"deviceId":"bed-3","patientId":"p-3","measurementTime":"2026-11-21T10:00:00Z","heartRate":64}""");

        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(3, s_deadline);
        Assert.Equal(["Patient", "Device", "Observation"], events.Select(e => e.Properties["kind"]));
        Assert.All(events, e => Assert.Equal("bed-3", e.PartitionKey));
        Assert.Single(events.Select(e => e.PartitionId).Distinct());
        // What goes upstream is what a FHIR server behind the cloud tier gets: Firely reads it as valid FHIR.
        FhirResourceAssert.AllValid(events.Select(e => Encoding.UTF8.GetString(e.Body)), "that went upstream as events");
        JsonElement observation = JsonDocument.Parse(events[2].Body).RootElement;
        Assert.Equal(64, observation.GetProperty("valueQuantity").GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task During_An_Outage_Records_Wait_In_The_Outbox_And_Drain_In_Order_Afterwards()
    {
        using var peer = new EventHubsAmqpPeer();
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, Args(peer.ConnectionString, "--MedTechEdge:EventHub:Content=DeviceMessages"));
        await module.PublishAsync("bed-5", Message("bed-5", 0));
        await peer.WaitForEventsAsync(1, s_deadline);
        peer.Stop();

        for (int n = 1; n <= 6; n++)
        {
            await module.PublishAsync("bed-5", Message("bed-5", n));
            await module.PublishAsync("pump-6", Message("pump-6", n));
        }

        // Acknowledged, mapped and waiting: the outbox holds them while the hub is away, and nothing is lost.
        await Eventually.TrueAsync(() => OutboxCount(module) == 12 && module.Persist.LastRetryReason is not null, s_deadline, "the records to wait in the outbox");
        Assert.Equal(1, module.Persist.PersistedCount);
        Assert.Single(peer.Events);

        peer.Start();

        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(13, s_deadline);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Sequence(events, "bed-5"));
        Assert.Equal([1, 2, 3, 4, 5, 6], Sequence(events, "pump-6"));
        await Eventually.TrueAsync(() => OutboxCount(module) == 0, s_deadline, "the outbox to drain");
        Assert.Equal(13, events.Count);
    }

    [Fact]
    public async Task A_Record_Larger_Than_The_Hub_Allows_Becomes_A_Dead_Letter_With_The_Reason()
    {
        using var peer = new EventHubsAmqpPeer(new EventHubsAmqpPeerOptions { MaxMessageSize = 2048 });
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, Args(peer.ConnectionString, "--MedTechEdge:EventHub:Content=DeviceMessages"));
        string huge = $$"""{"deviceId":"bed-7","n":99,"pad":"{{new string('x', 4000)}}"}""";

        await module.PublishAsync("bed-7", Message("bed-7", 1));
        await module.PublishAsync("bed-7", huge);
        await module.PublishAsync("bed-7", Message("bed-7", 2));

        IReadOnlyList<EventHubsRecordedEvent> events = await peer.WaitForEventsAsync(2, s_deadline);
        Assert.Equal([1, 2], Sequence(events, "bed-7"));
        DeadLetter letter = await Eventually.GetAsync(() => Task.FromResult(DeadLetters(module).FirstOrDefault()), s_deadline, "the dead letter");
        Assert.Equal(PipelineStage.Persist, letter.Stage);
        Assert.Contains("larger than the event hub accepts", letter.Error, StringComparison.Ordinal);
        Assert.Equal(huge, Encoding.UTF8.GetString(letter.Message.Body));
        Assert.Single(DeadLetters(module));
    }

    [Fact]
    public async Task Refused_Credentials_Keep_The_Data_In_The_Store()
    {
        using var peer = new EventHubsAmqpPeer();
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null,
            Args(peer.ConnectionStringWithKey("d3Jvbmcta2V5"), "--MedTechEdge:EventHub:Content=DeviceMessages"));

        await module.PublishAsync("bed-4", """{"deviceId":"bed-4","patientId":"p-4","measurementTime":"2026-11-21T10:00:00Z","heartRate":65}""");
        await module.PublishAsync("bed-4", """not even json: raw messages go up as they are""");
        var sink = (MedTechEdge.Pipeline.Sinks.EventHubSink)module.Services.GetRequiredService<MedTechEdge.Pipeline.Sinks.IResourceSink>();
        await Eventually.TrueAsync(() => peer.TokenRefusals.Count >= 2 && sink.ConfigurationError is not null, s_deadline, "the sink to try and retry");

        // Refused every time: nothing delivered, nothing dropped, nothing dead-lettered, and the reason on show.
        Assert.Equal(0, module.Persist.PersistedCount);
        Assert.Contains("signature does not match", sink.ConfigurationError, StringComparison.Ordinal);
        Assert.Empty(peer.Events);
        await module.StopAsync();
        Assert.Equal(2, OutboxCount(module));
        Assert.Empty(DeadLetters(module));
    }

    [Fact]
    public async Task The_Producer_Closes_When_The_Module_Stops()
    {
        using var peer = new EventHubsAmqpPeer();
        var module = await ModuleUnderTest.StartAsync(null, Args(peer.ConnectionString));
        var sink = (MedTechEdge.Pipeline.Sinks.EventHubSink)module.Services.GetRequiredService<MedTechEdge.Pipeline.Sinks.IResourceSink>();
        await module.PublishAsync("bed-8", Message("bed-8", 1));
        await peer.WaitForEventsAsync(1, s_deadline);

        await module.DisposeAsync();

        // The host disposed the sink, and with it the SDK's producer: nothing more goes out through it.
        var record = new OutboxRecord { DeviceId = "bed-8", ResourceType = "Measurement", ResourceId = "late", Body = "{}"u8.ToArray() };
        MedTechEdge.Pipeline.Sinks.SinkResult late = await sink.WriteAsync([record], CancellationToken.None);
        Assert.Contains("ClientClosed", Assert.Single(late.Failed).Details.Message, StringComparison.Ordinal);
        Assert.Single(peer.Events);
    }

    private static string[] Args(string connectionString, params string[] more) =>
    [
        "--MedTechEdge:Sink=EventHub",
        "--MedTechEdge:EventHub:ConnectionString=" + connectionString,
        "--MedTechEdge:Pipeline:FirstRetryDelay=00:00:00.1",
        "--MedTechEdge:Pipeline:MaxRetryDelay=00:00:00.5",
        .. more,
    ];

    private static string Message(string device, int n) =>
        $$"""{"deviceId":"{{device}}","patientId":"p","measurementTime":"2026-11-21T10:00:0{{n}}Z","heartRate":{{60 + n}},"n":{{n}}}""";

    /// <summary>The <c>n</c> of each event of <paramref name="device"/>, in the order its partition holds them.</summary>
    private static List<int> Sequence(IReadOnlyList<EventHubsRecordedEvent> events, string device)
    {
        var sequence = new List<int>();
        foreach (EventHubsRecordedEvent e in events)
        {
            if (e.PartitionKey == device)
            {
                sequence.Add(JsonDocument.Parse(e.Body).RootElement.GetProperty("n").GetInt32());
            }
        }

        return sequence;
    }

    private static long OutboxCount(ModuleUnderTest module)
    {
        using SqliteConnection connection = Open(module);
        return OutboxTable.Count(connection);
    }

    private static List<DeadLetter> DeadLetters(ModuleUnderTest module)
    {
        using SqliteConnection connection = Open(module);
        var letters = new List<DeadLetter>();
        DeadLetterTable.List(connection, 10, letters);
        return letters;
    }

    private static SqliteConnection Open(ModuleUnderTest module)
    {
        // Read-only beside the running module (WAL): no pooling, so the module's store is not held open afterwards.
        var connection = new SqliteConnection($"Data Source={module.StorePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
