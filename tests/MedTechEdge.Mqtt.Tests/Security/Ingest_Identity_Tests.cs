using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Security;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>
/// The ingest handler learns who sent a message: the authenticated identity and the further device ids its
/// credentials line lists, so the module can bind the message to them (issue 12, item 1).
/// </summary>
public sealed class Ingest_Identity_Tests : IDisposable
{
    private readonly CredentialsFile _credentials = CredentialsFile.Create(("mon-9", "pw-mon"))
        .WithLine(MqttPasswordHash.CreateLine("hub-12", "pw-hub", CredentialsFile.TestIterations) + ":devices=mon-1,bed12-*");

    public void Dispose() => _credentials.Dispose();

    [Fact]
    public async Task A_Hub_Messages_Carry_Its_Identity_And_Its_Device_List()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);
        await using MqttClient hub = await Peers.ConnectAsync(broker.Port, "hub-client", configure: o => (o.Username, o.Password) = ("hub-12", "pw-hub"));

        await hub.PublishAsync("devices/hub-12/messages/events/", Encoding.UTF8.GetBytes("{}"), MqttQualityOfServiceLevel.AtLeastOnce);

        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        IngestedMessage message = Assert.Single(broker.Handler.Messages);
        Assert.Equal("hub-12", message.Identity);
        Assert.Equal(["mon-1", "bed12-*"], message.IdentityDeviceIds!);
    }

    [Fact]
    public async Task A_Device_Without_A_List_Carries_Its_Identity_And_No_More()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "c-9", MqttProtocolVersion.V311, o => (o.Username, o.Password) = ("mon-9", "pw-mon"));

        await device.PublishAsync("devices/mon-9/messages/events/", Encoding.UTF8.GetBytes("{}"), MqttQualityOfServiceLevel.AtLeastOnce);

        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        IngestedMessage message = Assert.Single(broker.Handler.Messages);
        Assert.Equal("mon-9", message.Identity);
        Assert.Empty(message.IdentityDeviceIds!);
    }

    [Fact]
    public async Task An_Anonymous_Loopback_Device_Has_No_Identity()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();
        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "anon");

        await device.PublishAsync("devices/anon/messages/events/", Encoding.UTF8.GetBytes("{}"), MqttQualityOfServiceLevel.AtLeastOnce);

        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Null(Assert.Single(broker.Handler.Messages).Identity);
    }

    [Fact]
    public async Task A_Certificate_Identity_Gets_The_List_Only_From_A_Credential_Of_The_Same_Name()
    {
        using MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions { CredentialsFile = _credentials.Path });
        var certificate = new MqttTransportAuthentication(true, true, "hub-12");

        MqttAuthenticationResult alone = await security.AuthenticateAsync(null, null, certificate, null, CancellationToken.None);
        MqttAuthenticationResult withOwnCredential = await security.AuthenticateAsync("hub-12", Encoding.UTF8.GetBytes("pw-hub"), certificate, null, CancellationToken.None);
        MqttAuthenticationResult withOtherCredential = await security.AuthenticateAsync("mon-9", Encoding.UTF8.GetBytes("pw-mon"), new MqttTransportAuthentication(true, true, "bed-7"), null, CancellationToken.None);

        Assert.Equal(("hub-12", 0), (alone.Identity, alone.DeviceIds.Count));
        Assert.Equal(["mon-1", "bed12-*"], withOwnCredential.DeviceIds);
        Assert.Equal(("bed-7", 0), (withOtherCredential.Identity, withOtherCredential.DeviceIds.Count));
    }
}
