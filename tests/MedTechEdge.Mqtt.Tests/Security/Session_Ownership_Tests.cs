using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>
/// A client id's session belongs to the identity that created it (issue 12, item 2): another identity's CONNECT with
/// that client id is refused with 0x87 Not authorized (3.1.1: return code 5) and the owner's connection goes on; the
/// owner itself still takes over as MQTT 5.0 §3.1.4 [MQTT-3.1.4-3] says. A client id that is a user name in the
/// credentials file is reserved for that user from the start, so nobody can claim it first and lock its device out.
/// </summary>
public sealed class Session_Ownership_Tests : IDisposable
{
    private readonly CredentialsFile _credentials = CredentialsFile.Create(("dev-a", "pw-a"), ("dev-b", "pw-b"));

    public void Dispose() => _credentials.Dispose();

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Another_Identity_With_The_Victims_Client_Id_Is_Refused_And_The_Victim_Keeps_Publishing(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient victim = await ConnectOwnerAsync(broker, version);

        await using var impostor = new MqttClient();
        MqttConnectResult refused = await impostor.ConnectAsync(Options(broker, "dev-b", "dev-a", "pw-a", version), CancellationToken.None);

        Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.True(victim.IsConnected);
        Assert.Null(victim.ServerDisconnectReason);
        MqttPublishResult published = await victim.PublishAsync("devices/dev-b/messages/events/", Encoding.UTF8.GetBytes("{}"), MqttQualityOfServiceLevel.AtLeastOnce);
        Assert.True(published.IsSuccess, published.ReasonCode.ToString());
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Equal(1, broker.Server.Statistics.ConnectedClients);
    }

    [Fact]
    public async Task A_3_1_1_Impostor_Gets_Return_Code_5_On_The_Wire()
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient victim = await ConnectOwnerAsync(broker, MqttProtocolVersion.V311);
        await using RawMqttSocket impostor = await RawMqttSocket.ConnectAsync(broker.Port);

        await impostor.SendAsync(RawMqttSocket.ConnectV311("dev-b", "dev-a", "pw-a"));

        // CONNACK, Session Present 0, return code 0x05 Connection Refused, not authorized (3.1.1 §3.2.2.3).
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x05 }, await impostor.ReadAsync(4, Peers.Timeout));
        Assert.True(await impostor.WaitForCloseAsync(Peers.Timeout));
        Assert.True(victim.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task The_Same_Identity_Still_Takes_Its_Session_Over(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using MqttClient first = await ConnectOwnerAsync(broker, version);

        await using MqttClient second = await ConnectOwnerAsync(broker, version);

        await first.Completion.WaitAsync(Peers.Timeout);
        if (version == MqttProtocolVersion.V500)
        {
            // MQTT 5.0 §3.1.4 [MQTT-3.1.4-3]: DISCONNECT 0x8E to the existing connection.
            Assert.Equal(MqttDisconnectReasonCode.SessionTakenOver, first.ServerDisconnectReason);
        }

        Assert.True((await second.PublishAsync("devices/dev-b/messages/events/", Encoding.UTF8.GetBytes("{}"), MqttQualityOfServiceLevel.AtLeastOnce)).IsSuccess);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_Session_Left_By_One_Identity_Is_Neither_Resumed_Nor_Wiped_By_Another(bool cleanStart)
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        MqttClientOptions owner = Options(broker, "dev-b", "dev-b", "pw-b", MqttProtocolVersion.V500);
        owner.CleanStart = false;
        owner.SessionExpiryInterval = 300;
        await using (MqttClient first = await Peers.ConnectAsync(broker.Port, "dev-b", configure: o => Copy(owner, o)))
        {
            await first.DisconnectAsync();
        }

        await using var impostor = new MqttClient();
        MqttClientOptions stranger = Options(broker, "dev-b", "dev-a", "pw-a", MqttProtocolVersion.V500);
        stranger.CleanStart = cleanStart;
        stranger.SessionExpiryInterval = 300;
        MqttConnectResult refused = await impostor.ConnectAsync(stranger, CancellationToken.None);

        Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        await using var back = new MqttClient();
        MqttConnectResult resumed = await back.ConnectAsync(owner, CancellationToken.None);
        Assert.True(resumed.IsSuccess);
        Assert.True(resumed.SessionPresent, "the owner's session survived the impostor");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_Client_Id_That_Is_Another_Users_Name_Is_Refused_Before_Its_Owner_Ever_Connected(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();

        await using var squatter = new MqttClient();
        MqttConnectResult refused = await squatter.ConnectAsync(Options(broker, "dev-b", "dev-a", "pw-a", version), CancellationToken.None);

        Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        await using MqttClient owner = await ConnectOwnerAsync(broker, version);
        Assert.True((await owner.PublishAsync("devices/dev-b/messages/events/", Encoding.UTF8.GetBytes("{}"), MqttQualityOfServiceLevel.AtLeastOnce)).IsSuccess);

        // Only user names are reserved: credentials with any other client id connect, as mosquitto_pub's random ones do.
        await using MqttClient random = await Peers.ConnectAsync(broker.Port, "mosqpub-4711", version, o => (o.Username, o.Password) = ("dev-a", "pw-a"));
        Assert.True(random.IsConnected);
    }

    [Fact]
    public async Task A_3_1_1_Squatter_On_A_Reserved_Client_Id_Gets_Return_Code_5_On_The_Wire()
    {
        await using EmbeddedBroker broker = await StartBrokerAsync();
        await using RawMqttSocket squatter = await RawMqttSocket.ConnectAsync(broker.Port);

        await squatter.SendAsync(RawMqttSocket.ConnectV311("dev-b", "dev-a", "pw-a"));

        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x05 }, await squatter.ReadAsync(4, Peers.Timeout));
        Assert.True(await squatter.WaitForCloseAsync(Peers.Timeout));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task An_Anonymous_Client_May_Not_Use_A_Reserved_Client_Id_But_May_Use_Any_Other(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            o.CredentialsFile = _credentials.Path;
            o.AllowAnonymous = true;
        });

        await using var anonymous = new MqttClient();
        MqttConnectResult refused = await anonymous.ConnectAsync(new MqttClientOptions { Port = broker.Port, ClientId = "dev-b", ProtocolVersion = version }, CancellationToken.None);

        Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        await using MqttClient other = await Peers.ConnectAsync(broker.Port, "not-a-user", version);
        Assert.True(other.IsConnected);
        await using MqttClient owner = await ConnectOwnerAsync(broker, version);
        Assert.True(owner.IsConnected);
    }

    [Fact]
    public async Task Refused_Client_Ids_Are_Logged_As_One_Warning_Per_Address_And_Interval_Without_Names()
    {
        var clock = new TestClock();
        var log = new RecordingLogger();
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(
            o =>
            {
                o.CredentialsFile = _credentials.Path;
                o.TimeProvider = clock;
            },
            logger: log);
        await using MqttClient victim = await ConnectOwnerAsync(broker, MqttProtocolVersion.V500);

        for (int i = 0; i < 10; i++)
        {
            await using var squatter = new MqttClient();
            MqttConnectResult refused = await squatter.ConnectAsync(Options(broker, "dev-b", "dev-a", "pw-a", MqttProtocolVersion.V500), CancellationToken.None);
            Assert.Equal(MqttConnectReasonCode.NotAuthorized, refused.ReasonCode);
        }

        string first = Assert.Single(Warnings(log));
        Assert.Contains("Refused 1 CONNECT(s) from 127.0.0.1 for a client id that belongs to another identity", first, StringComparison.Ordinal);
        clock.Advance(new MqttAuthenticationOptions().FailureLogInterval);
        string[] warnings = Warnings(log);
        Assert.Equal(2, warnings.Length);
        Assert.Contains("Refused 9 CONNECT(s) from 127.0.0.1 for a client id", warnings[1], StringComparison.Ordinal);
        Assert.DoesNotContain(warnings, w => w.Contains("dev-a", StringComparison.Ordinal) || w.Contains("dev-b", StringComparison.Ordinal));
        Assert.Equal(10, broker.Server.Statistics.AuthorizationFailures);
        Assert.True(victim.IsConnected);
    }

    private static string[] Warnings(RecordingLogger log) => [.. log.Lines.Where(l => l.StartsWith("Warning:", StringComparison.Ordinal))];

    private Task<EmbeddedBroker> StartBrokerAsync() => EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

    /// <summary>dev-b, authenticated as itself, with client id "dev-b": the session's owner.</summary>
    private static Task<MqttClient> ConnectOwnerAsync(EmbeddedBroker broker, MqttProtocolVersion version) =>
        Peers.ConnectAsync(broker.Port, "dev-b", version, o => (o.Username, o.Password) = ("dev-b", "pw-b"));

    private static MqttClientOptions Options(EmbeddedBroker broker, string clientId, string username, string password, MqttProtocolVersion version) =>
        new() { Port = broker.Port, ClientId = clientId, Username = username, Password = password, ProtocolVersion = version };

    private static void Copy(MqttClientOptions from, MqttClientOptions to)
    {
        to.Username = from.Username;
        to.Password = from.Password;
        to.CleanStart = from.CleanStart;
        to.SessionExpiryInterval = from.SessionExpiryInterval;
    }
}
