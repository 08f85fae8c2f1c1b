using System.Net;
using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Server;

/// <summary>Start, stop and options of <see cref="MqttServer"/>.</summary>
public sealed class Server_Lifecycle_Tests
{
    [Fact]
    public async Task Port_Zero_Binds_A_Free_Loopback_Port_Reported_By_LocalEndPoint()
    {
        await using var server = new MqttServer(new MqttServerOptions { Port = 0 });
        Assert.Null(server.LocalEndPoint);

        await server.StartAsync(CancellationToken.None);

        Assert.Equal(IPAddress.Loopback, server.LocalEndPoint!.Address);
        Assert.NotEqual(0, server.LocalEndPoint.Port);
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_Taken_Port_Fails_The_Start_Naming_The_Listener_And_Its_Address()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = new MqttServer(new MqttServerOptions { Port = port });

        // Still a SocketException for callers that catch that; the host names the setting from IsTls and EndPoint.
        MqttListenerBindException ex = await Assert.ThrowsAsync<MqttListenerBindException>(() => server.StartAsync(CancellationToken.None));

        Assert.Equal(System.Net.Sockets.SocketError.AddressAlreadyInUse, ex.SocketErrorCode);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), ex.EndPoint);
        Assert.False(ex.IsTls);
        Assert.Null(server.LocalEndPoint);
    }

    [Fact]
    public async Task Stop_Sends_Disconnect_0x8B_To_V5_Clients()
    {
        var server = new MqttServer(new MqttServerOptions { Port = 0 });
        await server.StartAsync(CancellationToken.None);
        await using MqttClient client = await Peers.ConnectAsync(server.LocalEndPoint!.Port, "c");

        await server.StopAsync(CancellationToken.None);

        await client.Completion.WaitAsync(Peers.Timeout);
        Assert.Equal(MqttDisconnectReasonCode.ServerShuttingDown, client.ServerDisconnectReason);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Invalid_Ingest_Filter_Is_Refused_At_Construction()
    {
        var options = new MqttServerOptions();
        options.IngestTopicFilters.Add("devices/#/x");

        Assert.Throws<ArgumentException>(() => new MqttServer(options));
    }

    [Fact]
    public async Task Device_Id_Level_Is_Configurable_And_Falls_Back_To_The_Client_Id()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.IngestTopicFilters.Add("ward/+/bed/+");
            o.DeviceIdTopicLevel = 3;
        });
        await using MqttClient client = await Peers.ConnectAsync(broker.Port, "hub-1");

        await client.PublishAsync("ward/a/bed/12", Encoding.UTF8.GetBytes("x"));
        await client.PublishAsync("medtech/m/telemetry", Encoding.UTF8.GetBytes("y"));

        await broker.Handler.WaitForAsync(2, Peers.Timeout);
        Assert.Equal(["12", "hub-1"], broker.Handler.Messages.Select(m => m.DeviceId));
    }
}
