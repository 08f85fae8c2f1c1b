using System.Text;
using System.Text.Json;
using MedTechEdge.Ingress;
using MedTechEdge.IotEdge;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedTechEdge.Tests.Ingress;

public sealed class EdgeHubInputHandlerTests : IDisposable
{
    private readonly IngressStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_Routed_Message_Gets_The_Envelope_IoT_Hub_Templates_Read()
    {
        await using var inbox = new InboxWriter(_temp.Store, new WorkSignal());
        var identity = new IotEdgeSettings { IotHubHostName = "hub.azure-devices.net", DeviceId = "gw-1", ModuleId = "MedTechEdge" };
        var handler = new EdgeHubInputHandler(identity, ["devicedata"], new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance));
        var received = new DateTimeOffset(2026, 11, 21, 10, 0, 5, TimeSpan.Zero);

        MqttIngestResult result = await handler.OnPublishAsync(new MqttIngestMessage
        {
            Topic = "devices/gw-1/modules/MedTechEdge/inputs/devicedata/%24.cdid=bed-9&%24.ctime=2026-11-21T10%3A00%3A00.0000000Z&%24.ct=application%2Fjson&ward=4B",
            Payload = Encoding.UTF8.GetBytes("""{"hr":61}"""),
            ClientId = "gw-1/MedTechEdge",
            DeviceId = "gw-1",
            QoS = MqttQualityOfServiceLevel.AtLeastOnce,
            ReceivedAt = received,
        }, CancellationToken.None);

        Assert.True(result.IsAccepted);
        InboxMessage row = Assert.Single(_temp.Inbox());
        Assert.Equal("bed-9", row.DeviceId); // the leaf device, not the gateway
        Assert.Equal("edgehub", row.Source);
        Assert.Equal("""{"ward":"4B"}""", row.PropertiesJson);
        JsonElement system = JsonDocument.Parse(row.SystemPropertiesJson).RootElement;
        Assert.Equal("bed-9", system.GetProperty("iothub-connection-device-id").GetString());
        Assert.Equal("2026-11-21T10:00:00.0000000Z", system.GetProperty("iothub-creation-time-utc").GetString());
        Assert.Equal("2026-11-21T10:00:05.0000000Z", system.GetProperty("iothub-enqueuedtime").GetString());
        Assert.Equal("application/json", system.GetProperty("content-type").GetString());
        Assert.Equal("devicedata", system.GetProperty("iothub-inputname").GetString());
    }

    [Fact]
    public async Task At_The_Store_Cap_The_Input_Is_Held_Not_Refused_And_Stored_Once_There_Is_Room()
    {
        await using var inbox = new InboxWriter(_temp.Store, new WorkSignal());
        var identity = new IotEdgeSettings { IotHubHostName = "hub.azure-devices.net", DeviceId = "gw-1", ModuleId = "MedTechEdge" };
        var handler = new EdgeHubInputHandler(identity, ["devicedata"], new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance));
        _temp.Store.Options.MaxSizeBytes = 1;

        // A refusal would make the subscriber drop edgeHub's one connection (twin, methods, outputs with it).
        ValueTask<MqttIngestResult> pending = handler.OnPublishAsync(new MqttIngestMessage
        {
            Topic = "devices/gw-1/modules/MedTechEdge/inputs/devicedata/%24.cdid=bed-9",
            Payload = Encoding.UTF8.GetBytes("""{"hr":61}"""),
            ClientId = "gw-1/MedTechEdge",
            DeviceId = "gw-1",
            QoS = MqttQualityOfServiceLevel.AtLeastOnce,
            ReceivedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (handler.HeldCount == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the refused commit was not retried");
            await Task.Delay(20);
        }

        Assert.False(pending.IsCompleted);
        Assert.Empty(_temp.Inbox());

        _temp.Store.Options.MaxSizeBytes = 0;
        MqttIngestResult result = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.IsAccepted);
        Assert.Equal("bed-9", Assert.Single(_temp.Inbox()).DeviceId);
    }

    [Theory]
    [InlineData(true, "bed-9")]
    [InlineData(false, null)]
    public async Task A_Routed_Message_Is_Bound_To_The_Device_IoT_Hub_Authenticated_Unless_Turned_Off(bool bind, string? expected)
    {
        await using var inbox = new InboxWriter(_temp.Store, new WorkSignal());
        var identity = new IotEdgeSettings { IotHubHostName = "hub.azure-devices.net", DeviceId = "gw-1", ModuleId = "MedTechEdge" };
        var handler = new EdgeHubInputHandler(identity, ["devicedata"], new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance), bind);

        Assert.True(handler.TryCreateRecord(Routed("%24.cdid=bed-9"), out InboxMessage? record));

        Assert.Equal(expected, record.Binding?.Identity);
        Assert.Equal(bind, record.Binding?.Allows("bed-9") ?? false);
        Assert.False(record.Binding?.Allows("bed-10") ?? false);
    }

    [Fact]
    public async Task A_Routed_Message_Without_A_Connection_Device_Id_Is_Unbound()
    {
        await using var inbox = new InboxWriter(_temp.Store, new WorkSignal());
        var identity = new IotEdgeSettings { IotHubHostName = "hub.azure-devices.net", DeviceId = "gw-1", ModuleId = "MedTechEdge" };
        var handler = new EdgeHubInputHandler(identity, ["devicedata"], new MqttIngressHandler(inbox, NullLogger<MqttIngressHandler>.Instance));

        Assert.True(handler.TryCreateRecord(Routed("ward=4B"), out InboxMessage? record));

        // The gateway's id stands in for the device id, but nobody authenticated a device: nothing to bind to.
        Assert.Equal("gw-1", record.DeviceId);
        Assert.Null(record.Binding);
    }

    private static MqttIngestMessage Routed(string properties) => new()
    {
        Topic = "devices/gw-1/modules/MedTechEdge/inputs/devicedata/" + properties,
        Payload = Encoding.UTF8.GetBytes("""{"hr":61}"""),
        ClientId = "gw-1/MedTechEdge",
        DeviceId = "gw-1",
        QoS = MqttQualityOfServiceLevel.AtLeastOnce,
        ReceivedAt = DateTimeOffset.UtcNow,
    };
}
