using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>
/// Username/password from the credentials file, against mosquitto_pub. A refused CONNECT gets CONNACK 0x86 / 0x87
/// (5.0, MQTT 5.0 §3.2.2.2) or return code 0x04 / 0x05 (3.1.1 §3.2.2.3); mosquitto_pub exits with that code.
/// </summary>
public sealed class Authentication_Tests : IDisposable
{
    private const string DeviceTopic = "devices/dev-1/messages/events/";
    private readonly CredentialsFile _credentials = CredentialsFile.Create(("dev-1", "pw-one"), ("dev-2", "pw-two"));

    public void Dispose() => _credentials.Dispose();

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Right_Password_Connects_And_The_Message_Is_Ingested(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1", "-i", "c1",
            "-u", "dev-1", "-P", "pw-one", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Equal("dev-1", Assert.Single(broker.Handler.Messages).DeviceId);
        Assert.Equal(0, broker.Server.Statistics.AuthenticationFailures);
    }

    [Theory]
    [InlineData("mqttv311", "dev-1", 4, "Connection Refused: bad user name or password")]
    [InlineData("mqttv5", "dev-1", 0x86, "Bad user name or password")]
    [InlineData("mqttv311", "nobody", 4, "Connection Refused: bad user name or password")]
    [InlineData("mqttv5", "nobody", 0x86, "Bad user name or password")]
    public async Task Wrong_Password_Or_Unknown_User_Gets_Bad_User_Name_Or_Password(string version, string username, int code, string message)
    {
        var log = new RecordingLogger();
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path, logger: log);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1",
            "-u", username, "-P", "pw-two-secret", "-t", DeviceTopic, "-m", "payload-never-logged");

        Assert.True(result.ExitCode == code, MosquittoPub.Describe(result));
        Assert.Contains(message, result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, broker.Server.Statistics.AuthenticationFailures);
        Assert.Empty(broker.Handler.Messages);
        Assert.Contains("BadUserNameOrPassword", log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-two-secret", log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("payload-never-logged", log.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqttv311", 5, "Connection Refused: not authorised")]
    [InlineData("mqttv5", 0x87, "Not authorized")]
    public async Task No_Credentials_Get_Not_Authorized_When_A_Credentials_File_Is_Configured(string version, int code, string message)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => o.CredentialsFile = _credentials.Path);

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.PortText, "-V", version, "-q", "1", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == code, MosquittoPub.Describe(result));
        Assert.Contains(message, result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, broker.Server.Statistics.AuthenticationFailures);
        Assert.Empty(broker.Handler.Messages);
    }

    [Fact]
    public async Task Credentials_File_With_Errors_Stops_The_Server_From_Being_Created()
    {
        string path = Path.Combine(Path.GetTempPath(), $"medtechedge-bad-credentials-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "dev-1:plaintext\n");
        try
        {
            FormatException error = await Assert.ThrowsAsync<FormatException>(() => EmbeddedBroker.StartAsync(o => o.CredentialsFile = path));
            Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
