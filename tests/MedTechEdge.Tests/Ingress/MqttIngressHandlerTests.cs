using System.Text;
using System.Text.Json;
using MedTechEdge.Configuration;
using MedTechEdge.Ingress;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Tests.Ingress;

public sealed class MqttIngressHandlerTests : IDisposable
{
    private readonly IngressStore _temp = new();

    private MedTechStore Store => _temp.Store;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_Accepted_Publish_Is_In_The_Inbox_With_Its_Envelope_Properties()
    {
        await using var inbox = new InboxWriter(Store, new WorkSignal());
        var handler = new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance);
        var receivedAt = new DateTimeOffset(2026, 11, 21, 8, 30, 0, TimeSpan.Zero).AddTicks(1_234_500);
        byte[] payload = Encoding.UTF8.GetBytes("""{"hr":72}""");

        MqttIngestResult result = await handler.OnPublishAsync(new MqttIngestMessage
        {
            Topic = "devices/monitor-7/messages/events/",
            Payload = payload,
            ClientId = "client-7",
            DeviceId = "monitor-7",
            QoS = MqttQualityOfServiceLevel.AtLeastOnce,
            ProtocolVersion = MqttProtocolVersion.V500,
            UserProperties = [new("ward", "4B"), new("bed", "12"), new("ward", "ignored")],
            ContentType = "application/json",
            ReceivedAt = receivedAt,
        }, CancellationToken.None);

        Assert.True(result.IsAccepted);
        payload[2] = (byte)'X'; // the broker reuses its buffer once the result is known: the stored body is a copy
        InboxMessage row = ReadOnly();
        Assert.Equal("""{"hr":72}""", Encoding.UTF8.GetString(row.Body));
        Assert.Equal("monitor-7", row.DeviceId);
        Assert.Equal("devices/monitor-7/messages/events/", row.Topic);
        Assert.Equal("""{"ward":"4B","bed":"12"}""", row.PropertiesJson);
        using JsonDocument system = JsonDocument.Parse(row.SystemPropertiesJson);
        JsonElement root = system.RootElement;
        Assert.Equal("monitor-7", root.GetProperty("iothub-connection-device-id").GetString());
        Assert.Equal("2026-11-21T08:30:00.1234500Z", root.GetProperty("iothub-enqueuedtime").GetString());
        Assert.Equal("devices/monitor-7/messages/events/", root.GetProperty("mqtt-topic").GetString());
        Assert.Equal("client-7", root.GetProperty("mqtt-client-id").GetString());
        Assert.Equal(1, root.GetProperty("mqtt-qos").GetInt32());
        Assert.Equal("application/json", root.GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task Without_User_Properties_The_Properties_Object_Is_Empty()
    {
        await using var inbox = new InboxWriter(Store, new WorkSignal());
        var handler = new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance);

        MqttIngestResult result = await handler.OnPublishAsync(Message("d1", "{}"), CancellationToken.None);

        Assert.True(result.IsAccepted);
        InboxMessage row = ReadOnly();
        Assert.Equal("{}", row.PropertiesJson);
        Assert.False(JsonDocument.Parse(row.SystemPropertiesJson).RootElement.TryGetProperty("content-type", out _));
    }

    [Fact]
    public async Task Many_Concurrent_Publishes_Are_All_Accepted_And_Stored_Once()
    {
        await using var inbox = new InboxWriter(Store, new WorkSignal());
        var handler = new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance);

        var results = new Task<MqttIngestResult>[400];
        await Parallel.ForAsync(0, results.Length, (i, _) =>
        {
            results[i] = handler.OnPublishAsync(Message("d" + (i % 8), $$"""{"n":{{i}}}"""), CancellationToken.None).AsTask();
            return ValueTask.CompletedTask;
        });

        MqttIngestResult[] all = await Task.WhenAll(results);
        Assert.All(all, r => Assert.True(r.IsAccepted));
        Assert.Equal(400, inbox.CommittedCount);
        using SqliteConnection connection = Store.OpenConnection();
        Assert.Equal(400, InboxTable.Count(connection));
    }

    [Fact]
    public async Task At_The_Store_Cap_The_Device_Gets_Quota_Exceeded_And_Later_Is_Accepted_Again()
    {
        await using var inbox = new InboxWriter(Store, new WorkSignal());
        var handler = new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance);
        Store.Options.MaxSizeBytes = 1;

        MqttIngestResult refused = await handler.OnPublishAsync(Message("d1", "{}"), CancellationToken.None);

        // MQTT 5.0 §3.4.2.1: 0x97 Quota exceeded; nothing stored.
        Assert.Equal(MqttPubAckReasonCode.QuotaExceeded, refused.ReasonCode);
        using SqliteConnection connection = Store.OpenConnection();
        Assert.Equal(0, InboxTable.Count(connection));

        Store.Options.MaxSizeBytes = 0;
        MqttIngestResult accepted = await handler.OnPublishAsync(Message("d1", "{}"), CancellationToken.None);
        Assert.True(accepted.IsAccepted);
        Assert.Equal(1, InboxTable.Count(connection));
    }

    [Fact]
    public async Task A_Message_From_An_Authenticated_Connection_Carries_The_Senders_Binding()
    {
        await using var inbox = new InboxWriter(Store, new WorkSignal());
        var handler = new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance);

        InboxMessage record = handler.CreateRecord(Message("hub-12", "{}", "hub-12", ["mon-1", "bed12-*"]));

        DeviceBinding binding = Assert.IsType<DeviceBinding>(record.Binding);
        Assert.Equal("hub-12", binding.Identity);
        Assert.True(binding.Allows("bed12-3"));
        Assert.True(binding.Allows("mon-1"));
        Assert.False(binding.Allows("mon-2"));
    }

    [Fact]
    public async Task A_Message_From_An_Anonymous_Connection_Is_Unbound()
    {
        await using var inbox = new InboxWriter(Store, new WorkSignal());
        var handler = new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance);

        Assert.Null(handler.CreateRecord(Message("d1", "{}")).Binding);
    }

    [Fact]
    public async Task With_Binding_Off_An_Authenticated_Message_Is_Unbound()
    {
        await using var inbox = new InboxWriter(Store, new WorkSignal());
        var handler = new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance, DeviceBindingMode.Off);

        Assert.Null(handler.CreateRecord(Message("mon-1", "{}", "mon-1")).Binding);
    }

    private static MqttIngestMessage Message(string device, string body, string? identity = null, string[]? identityDeviceIds = null) => new()
    {
        Identity = identity,
        IdentityDeviceIds = identityDeviceIds ?? [],
        Topic = $"devices/{device}/messages/events/",
        Payload = Encoding.UTF8.GetBytes(body),
        ClientId = device,
        DeviceId = device,
        QoS = MqttQualityOfServiceLevel.AtLeastOnce,
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    private InboxMessage ReadOnly() => Assert.Single(_temp.Inbox());
}
