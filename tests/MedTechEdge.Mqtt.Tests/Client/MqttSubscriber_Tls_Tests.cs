using MedTechEdge.TestPeers;
using System.Security.Authentication;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Tests.TestSupport;
using static MedTechEdge.Mqtt.Tests.Client.SubscriberTestSupport;

namespace MedTechEdge.Mqtt.Tests.Client;

/// <summary>Real peer: the client and the subscriber over TLS to Mosquitto's TLS listener (MQTT 5.0 §5.4.9).</summary>
public sealed class MqttSubscriber_Tls_Tests : IDisposable
{
    private readonly TestCertificates _pki = TestCertificates.Create("gateway");

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Subscriber_Over_Tls_Trusting_The_Broker_CA_Receives_Messages(MqttProtocolVersion version)
    {
        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync(tls: _pki);
        var handler = new SubscriberTestHandler();
        MqttSubscriberOptions options = Options(broker.TlsPort, $"tls-{version}", version, "tls/#");
        options.Tls = new MqttClientTlsOptions { CaFile = _pki.CaFile, TargetHost = "localhost" };
        await using MqttSubscriber subscriber = await StartAsync(options, handler);

        // mosquitto_pub on the plain listener; the broker routes to the TLS session.
        Assert.True(await PublishAsync(broker.Port, VersionArgument(version), "tls/dev-1", "over-tls"));

        await WaitUntilAsync(() => subscriber.Statistics.MessagesAcknowledged == 1, "the message over TLS");
        Assert.Equal(["over-tls"], handler.PayloadTexts);
    }

    [Fact]
    public async Task Client_With_A_Client_Certificate_Connects_To_A_Listener_That_Requires_One()
    {
        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync(tls: _pki, requireClientCertificate: true);
        var options = new MqttClientOptions
        {
            Port = broker.TlsPort,
            ClientId = "tls-client-cert",
            Tls = new MqttClientTlsOptions
            {
                CaFile = _pki.CaFile,
                TargetHost = "localhost",
                ClientCertificateFile = _pki.ClientCertificateFile("gateway"),
                ClientKeyFile = _pki.ClientKeyFile("gateway"),
            },
        };
        await using var client = new MqttClient();

        MqttConnectResult connected = await client.ConnectAsync(options, CancellationToken.None);

        Assert.True(connected.IsSuccess);
        Assert.True((await client.PublishAsync("tls/x", "ok"u8.ToArray())).IsSuccess);
        options.Tls.ClientCertificateFile = null;
        await using var withoutCertificate = new MqttClient();
        await Assert.ThrowsAnyAsync<Exception>(() => withoutCertificate.ConnectAsync(options, CancellationToken.None));
    }

    [Fact]
    public async Task A_Broker_Certificate_From_Another_CA_Is_Refused_And_Retried()
    {
        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync(tls: _pki);
        await using var direct = new MqttClient();
        var clientOptions = new MqttClientOptions { Port = broker.TlsPort, ClientId = "wrong-ca", Tls = new MqttClientTlsOptions { CaFile = _pki.OtherCaFile, TargetHost = "localhost" } };
        await Assert.ThrowsAsync<AuthenticationException>(() => direct.ConnectAsync(clientOptions, CancellationToken.None));

        MqttSubscriberOptions options = Options(broker.TlsPort, "wrong-ca-subscriber", MqttProtocolVersion.V500, "tls/#");
        options.Tls = new MqttClientTlsOptions { CaFile = _pki.OtherCaFile, TargetHost = "localhost" };
        await using var subscriber = new MqttSubscriber(options, new SubscriberTestHandler());
        await subscriber.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => subscriber.Statistics.ConnectFailures >= 2, "retries after the refused certificate");
        Assert.Equal(0, subscriber.Statistics.Connects);
    }

    [Fact]
    public async Task A_Broker_Certificate_For_Another_Name_Is_Refused()
    {
        await using PersistentMosquitto broker = await PersistentMosquitto.CreateAsync(tls: _pki);
        await using var client = new MqttClient();
        var options = new MqttClientOptions { Port = broker.TlsPort, ClientId = "wrong-name", Tls = new MqttClientTlsOptions { CaFile = _pki.CaFile, TargetHost = "broker.example" } };

        await Assert.ThrowsAsync<AuthenticationException>(() => client.ConnectAsync(options, CancellationToken.None));
    }

    public void Dispose() => _pki.Dispose();
}
