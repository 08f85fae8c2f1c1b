using System.Net;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>
/// Anonymous access follows Mosquitto 2.0: allowed without configuration on loopback; a listener on any other address
/// requires authentication unless AllowAnonymous is set. All traffic stays on 127.0.0.1 (a 0.0.0.0 bind includes it).
/// </summary>
public sealed class Anonymous_Access_Tests
{
    private const string DeviceTopic = "devices/dev-1/messages/events/";

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Loopback_Listener_Without_Configuration_Accepts_Anonymous_Clients(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync();

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
    }

    [Theory]
    [InlineData("mqttv311", 5)]
    [InlineData("mqttv5", 0x87)]
    public async Task Listener_On_Any_Address_Refuses_Anonymous_Clients_With_Not_Authorized(string version, int code)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.BindAddress = IPAddress.Any);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == code, MosquittoPub.Describe(result));
        Assert.Equal(1, broker.Server.Statistics.AuthenticationFailures);
        Assert.Empty(broker.Handler.Messages);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Listener_On_Any_Address_Accepts_Anonymous_Clients_When_Allowed_Explicitly(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.BindAddress = IPAddress.Any;
            o.AllowAnonymous = true;
        });

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
    }

    [Fact]
    public async Task Loopback_Listener_Refuses_Anonymous_Clients_When_Disallowed_Explicitly()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.AllowAnonymous = false);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", "mqttv5", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == 0x87, MosquittoPub.Describe(result));
    }

    [Fact]
    public async Task Username_Without_A_Credentials_File_Is_Refused_Where_Anonymous_Is_Not_Allowed()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.BindAddress = IPAddress.Any);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", "mqttv5", "-u", "dev-1", "-P", "x", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == 0x86, MosquittoPub.Describe(result));
    }
}
