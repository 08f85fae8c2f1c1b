using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>
/// The TLS listener (MQTT 5.0 §5.4.9) against mosquitto_pub with --cafile / --cert / --key, certificates made by
/// <see cref="TestCertificates"/>. Verifying the server certificate checks its SAN for 127.0.0.1.
/// </summary>
public sealed class Tls_Listener_Tests : IDisposable
{
    private const string DeviceTopic = "devices/dev-1/messages/events/";
    private readonly TestCertificates _pki = TestCertificates.Create("dev-1", "dev-2");

    public void Dispose() => _pki.Dispose();

    private void UseTls(MqttServerOptions options, MqttClientCertificateMode mode = MqttClientCertificateMode.None)
    {
        options.Tls = new MqttServerTlsOptions
        {
            Port = 0,
            CertificateFile = _pki.ServerCertificateFile,
            PrivateKeyFile = _pki.ServerKeyFile,
            ClientCertificateMode = mode,
            ClientCertificateAuthorityFile = mode == MqttClientCertificateMode.None ? null : _pki.CaFile,
        };
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Publish_Over_Tls_With_The_Right_Ca_Reaches_The_Handler(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => UseTls(o));

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.TlsPortText, "-V", version, "-q", "1",
            "--cafile", _pki.CaFile, "-t", DeviceTopic, "-m", "{\"hr\":61}");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Equal("{\"hr\":61}", Assert.Single(broker.Handler.Messages).PayloadText);
        Assert.NotEqual(broker.Port, broker.Server.TlsLocalEndPoint!.Port);
    }

    [Fact]
    public async Task Publish_With_An_Unrelated_Ca_Fails_The_Handshake()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => UseTls(o));

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.TlsPortText, "-q", "1",
            "--cafile", _pki.OtherCaFile, "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode != 0, MosquittoPub.Describe(result));
        Assert.Empty(broker.Handler.Messages);
    }

    [Fact]
    public async Task Plain_Mqtt_On_The_Tls_Port_Fails_And_Is_Counted()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => UseTls(o));

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.TlsPortText, "-q", "1", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode != 0, MosquittoPub.Describe(result));
        Assert.Empty(broker.Handler.Messages);
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.TlsHandshakeFailures >= 1));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Client_Certificate_Authenticates_The_Device_As_Its_Common_Name(string version)
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            UseTls(o, MqttClientCertificateMode.Require);
            o.UnencryptedListenerEnabled = true;
        });

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.TlsPortText, "-V", version, "-q", "1",
            "--cafile", _pki.CaFile, "--cert", _pki.ClientCertificateFile("dev-1"), "--key", _pki.ClientKeyFile("dev-1"),
            "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Equal("dev-1", Assert.Single(broker.Handler.Messages).DeviceId);
    }

    [Fact]
    public async Task Client_Certificate_Of_Another_Device_May_Not_Publish_To_This_Devices_Topic()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => UseTls(o, MqttClientCertificateMode.Require));

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.TlsPortText, "-V", "mqttv5", "-q", "1",
            "--cafile", _pki.CaFile, "--cert", _pki.ClientCertificateFile("dev-2"), "--key", _pki.ClientKeyFile("dev-2"),
            "-t", DeviceTopic, "-m", "{}");

        Assert.Contains("not authorized", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(broker.Handler.Messages);
        Assert.Equal(1, broker.Server.Statistics.AuthorizationFailures);
        Assert.Equal(0, broker.Server.Statistics.AuthenticationFailures);
    }

    [Fact]
    public async Task Required_Client_Certificate_Missing_Fails_The_Connection()
    {
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o => UseTls(o, MqttClientCertificateMode.Require));

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.TlsPortText, "-V", "mqttv5", "-q", "1",
            "--cafile", _pki.CaFile, "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode != 0, MosquittoPub.Describe(result));
        Assert.Empty(broker.Handler.Messages);
        Assert.True(await Until.TrueAsync(() => broker.Server.Statistics.TlsHandshakeFailures >= 1));
    }

    [Fact]
    public async Task Allowed_Client_Certificate_Is_Optional_When_The_Device_Has_A_Password()
    {
        using CredentialsFile credentials = CredentialsFile.Create(("dev-1", "pw-one"));
        await using EmbeddedBroker broker = await EmbeddedBroker.StartAsync(o =>
        {
            UseTls(o, MqttClientCertificateMode.Allow);
            o.CredentialsFile = credentials.Path;
            o.UnencryptedListenerEnabled = false;
        });

        MosquittoClientResult result = await MosquittoPub.RunAsync(broker.TlsPortText, "-V", "mqttv5", "-q", "1",
            "--cafile", _pki.CaFile, "-u", "dev-1", "-P", "pw-one", "-t", DeviceTopic, "-m", "{}");

        Assert.True(result.ExitCode == 0, MosquittoPub.Describe(result));
        await broker.Handler.WaitForAsync(1, Peers.Timeout);
        Assert.Null(broker.Server.LocalEndPoint);
    }
}
