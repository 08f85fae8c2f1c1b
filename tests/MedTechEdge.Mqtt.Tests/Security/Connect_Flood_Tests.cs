using System.Text;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>
/// A flood of CONNECTs with wrong passwords, against the broker (issue 12, item 3): the source address is backed off
/// and refused with 0x89 Server busy (3.1.1: 3 Server unavailable) without a password check, a device whose password
/// was checked recently still gets in, and the log gets one Warning per address and interval, not one per attempt.
/// The backoff windows run on a manual clock; nothing sleeps.
/// </summary>
public sealed class Connect_Flood_Tests : IDisposable
{
    private const string DeviceTopic = "devices/dev-1/messages/events/";
    private readonly CredentialsFile _credentials = CredentialsFile.Create(("dev-1", "pw-one"), ("dev-2", "pw-two"));
    private readonly TestClock _clock = new();
    private readonly RecordingLogger _log = new();

    public void Dispose() => _credentials.Dispose();

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task After_Repeated_Failures_The_Address_Is_Refused_As_Busy_Even_With_A_Right_Password(MqttProtocolVersion version)
    {
        await using EmbeddedBroker broker = await StartAsync();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(MqttConnectReasonCode.BadUserNameOrPassword, await ConnectAsync(broker, "dev-2", "guess-" + i, version));
        }

        // Not checked at all: a right password is refused too while the address is backed off. 3.1.1 has no 0x89;
        // its return code 3 Server unavailable reads back as ServerUnavailable.
        MqttConnectReasonCode busy = version == MqttProtocolVersion.V500 ? MqttConnectReasonCode.ServerBusy : MqttConnectReasonCode.ServerUnavailable;
        Assert.Equal(busy, await ConnectAsync(broker, "dev-2", "pw-two", version));
        Assert.Equal(1, broker.Server.Statistics.AuthenticationThrottled);
        Assert.Equal(3, broker.Server.Statistics.AuthenticationFailures);

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(MqttConnectReasonCode.Success, await ConnectAsync(broker, "dev-2", "pw-two", version));
    }

    [Fact]
    public async Task A_Device_Whose_Password_Was_Checked_Recently_Still_Connects_And_Publishes_During_The_Backoff()
    {
        await using EmbeddedBroker broker = await StartAsync();
        Assert.Equal(MqttConnectReasonCode.Success, await ConnectAsync(broker, "dev-1", "pw-one", MqttProtocolVersion.V500));
        for (int i = 0; i < 5; i++)
        {
            await ConnectAsync(broker, "dev-2", "guess-" + i, MqttProtocolVersion.V500);
        }

        await using MqttClient device = await Peers.ConnectAsync(broker.Port, "dev-1", configure: o => (o.Username, o.Password) = ("dev-1", "pw-one"));

        Assert.True((await device.PublishAsync(DeviceTopic, Encoding.UTF8.GetBytes("{}"), MqttQualityOfServiceLevel.AtLeastOnce)).IsSuccess);
        Assert.True(broker.Server.Statistics.AuthenticationThrottled >= 2);
    }

    [Fact]
    public async Task A_Flood_Is_Logged_As_One_Warning_At_Once_And_One_Count_Per_Interval_Without_User_Names()
    {
        await using EmbeddedBroker broker = await StartAsync();

        for (int i = 0; i < 20; i++)
        {
            await ConnectAsync(broker, "no-such-user-" + i, "guess", MqttProtocolVersion.V500);
        }

        // The first refusal of a quiet address is written at once; the other 19 wait for the interval's end.
        string first = Assert.Single(Warnings());
        Assert.Contains("Refused 1 CONNECT(s) from 127.0.0.1", first, StringComparison.Ordinal);

        // The broker's flush timer runs on the manual clock: moving it over one interval writes the count line.
        _clock.Advance(new MqttAuthenticationOptions().FailureLogInterval);
        string[] warnings = Warnings();
        Assert.Equal(2, warnings.Length);
        Assert.Contains("Refused 19 CONNECT(s) from 127.0.0.1", warnings[1], StringComparison.Ordinal);
        Assert.DoesNotContain(warnings, w => w.Contains("no-such-user", StringComparison.Ordinal));
        Assert.Equal(20, broker.Server.Statistics.AuthenticationFailures + broker.Server.Statistics.AuthenticationThrottled);

        // A quiet interval writes nothing more.
        _clock.Advance(new MqttAuthenticationOptions().FailureLogInterval);
        Assert.Equal(2, Warnings().Length);
    }

    private string[] Warnings() => [.. _log.Lines.Where(l => l.StartsWith("Warning:", StringComparison.Ordinal))];

    private Task<EmbeddedBroker> StartAsync() => EmbeddedBroker.StartAsync(
        o =>
        {
            o.CredentialsFile = _credentials.Path;
            o.TimeProvider = _clock;
            o.Authentication = new MqttAuthenticationOptions
            {
                FailuresBeforeBackoff = 3,
                FirstBackoff = TimeSpan.FromSeconds(10),
                FailureResponseDelay = TimeSpan.Zero,
            };
        },
        logger: _log);

    private static async Task<MqttConnectReasonCode> ConnectAsync(EmbeddedBroker broker, string username, string password, MqttProtocolVersion version)
    {
        await using var client = new MqttClient();
        MqttConnectResult result = await client.ConnectAsync(
            new MqttClientOptions { Port = broker.Port, ClientId = "flood-" + Guid.NewGuid().ToString("N"), Username = username, Password = password, ProtocolVersion = version },
            CancellationToken.None);
        if (result.IsSuccess)
        {
            await client.DisconnectAsync();
        }

        return result.ReasonCode;
    }
}
