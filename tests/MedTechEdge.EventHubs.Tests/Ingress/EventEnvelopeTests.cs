using System.Text;
using System.Text.Json;
using Azure.Messaging.EventHubs.Consumer;
using MedTechEdge.EventHubs.Ingress;
using MedTechEdge.EventHubs.Tests.AmqpPeer;
using MedTechEdge.Storage;
using MedTechEdge.TestPeers.EventHubsAmqp;
using SdkEventData = Azure.Messaging.EventHubs.EventData;

namespace MedTechEdge.EventHubs.Tests.Ingress;

/// <summary>MedTech's envelope built from events as Microsoft's SDK receives them from the AMQP peer.</summary>
public sealed class EventEnvelopeTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);
    private static readonly DateTime s_received = new(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task An_IoT_Hub_Routed_Event_Keeps_Its_Iothub_System_Properties_And_Binds_To_The_Connection_Device()
    {
        using var peer = new EventHubsAmqpPeer();
        var enqueuedAtHub = new DateTime(2026, 12, 6, 9, 59, 58, 123, DateTimeKind.Utc);
        EventHubsRecordedEvent stored = peer.Append(
            2,
            """{"heartRate":71}"""u8.ToArray(),
            new Dictionary<string, object?> { ["iothub-creation-time-utc"] = "2026-12-06T09:59:57Z", ["ward"] = "4B", ["n"] = 7 },
            new Dictionary<string, object?>
            {
                ["iothub-connection-device-id"] = "monitor-42",
                ["iothub-connection-module-id"] = "vitals",
                ["iothub-enqueuedtime"] = enqueuedAtHub,
                ["x-opt-partition-key"] = "monitor-42",
            },
            "application/json");
        SdkEventData e = await ReadOneAsync(peer, "2");

        InboxMessage message = EventEnvelope.ToInboxMessage(e, "vitals/Partitions/2", s_received, bind: true);

        Assert.Equal(MessageSources.EventHub, message.Source);
        Assert.Equal("monitor-42", message.DeviceId);
        Assert.Equal("monitor-42", message.Binding!.Identity);
        Assert.Equal("vitals/Partitions/2", message.Topic);
        Assert.Equal(s_received, message.ReceivedUtc);
        Assert.Equal("""{"heartRate":71}""", Encoding.UTF8.GetString(message.Body));
        using JsonDocument properties = JsonDocument.Parse(message.Properties);
        Assert.Equal("2026-12-06T09:59:57Z", properties.RootElement.GetProperty("iothub-creation-time-utc").GetString());
        Assert.Equal("4B", properties.RootElement.GetProperty("ward").GetString());
        Assert.Equal(7, properties.RootElement.GetProperty("n").GetInt32());
        using JsonDocument system = JsonDocument.Parse(message.SystemProperties);
        JsonElement s = system.RootElement;
        Assert.Equal("monitor-42", s.GetProperty("iothub-connection-device-id").GetString());
        Assert.Equal("vitals", s.GetProperty("iothub-connection-module-id").GetString());
        Assert.Equal("2026-12-06T09:59:58.1230000Z", s.GetProperty("iothub-enqueuedtime").GetString());
        Assert.Equal(stored.SequenceNumber, s.GetProperty("x-opt-sequence-number").GetInt64());
        Assert.Equal(stored.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture), s.GetProperty("x-opt-offset").GetString());
        Assert.Equal(stored.EnqueuedTime.UtcDateTime, s.GetProperty("x-opt-enqueued-time").GetDateTime().ToUniversalTime());
        Assert.Equal("monitor-42", s.GetProperty("x-opt-partition-key").GetString());
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task An_Event_Sent_By_An_Application_Has_The_Event_Hubs_System_Properties_And_No_Binding()
    {
        using var peer = new EventHubsAmqpPeer();
        peer.Append(0, """{"deviceId":"cuff-1","systolic":120}"""u8.ToArray());
        SdkEventData e = await ReadOneAsync(peer, "0");

        InboxMessage message = EventEnvelope.ToInboxMessage(e, "vitals/Partitions/0", s_received, bind: true);

        Assert.Null(message.DeviceId);
        Assert.Null(message.Binding);
        Assert.Equal("{}", message.PropertiesJson);
        using JsonDocument system = JsonDocument.Parse(message.SystemProperties);
        Assert.Equal(0, system.RootElement.GetProperty("x-opt-sequence-number").GetInt64());
        Assert.True(system.RootElement.TryGetProperty("x-opt-offset", out _));
        Assert.True(system.RootElement.TryGetProperty("x-opt-enqueued-time", out _));
        Assert.False(system.RootElement.TryGetProperty("iothub-connection-device-id", out _));
    }

    [Fact]
    public async Task Binding_Off_Leaves_A_Routed_Event_Unbound_But_Keeps_Its_Device_Id()
    {
        using var peer = new EventHubsAmqpPeer();
        peer.Append(1, "{}"u8.ToArray(), annotations: new Dictionary<string, object?> { ["iothub-connection-device-id"] = "bed-3" });
        SdkEventData e = await ReadOneAsync(peer, "1");

        InboxMessage message = EventEnvelope.ToInboxMessage(e, "vitals/Partitions/1", s_received, bind: false);

        Assert.Equal("bed-3", message.DeviceId);
        Assert.Null(message.Binding);
    }

    private static async Task<SdkEventData> ReadOneAsync(EventHubsAmqpPeer peer, string partition)
    {
        await using Azure.Messaging.EventHubs.Consumer.EventHubConsumerClient consumer = SdkConsumer.Create(peer.ConnectionString);
        return Assert.Single(await SdkConsumer.ReadAsync(consumer, partition, EventPosition.Earliest, 1, s_deadline));
    }
}
