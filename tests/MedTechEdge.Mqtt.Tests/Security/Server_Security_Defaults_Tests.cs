using System.Net;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Security;
using MedTechEdge.Mqtt.Server;
using MedTechEdge.Mqtt.Tests.TestSupport;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>How <see cref="MqttServerOptions"/> resolve into anonymous access and the device topic policy, and the topic rules.</summary>
public sealed class Server_Security_Defaults_Tests : IDisposable
{
    private readonly CredentialsFile _credentials = CredentialsFile.Create(("dev-1", "pw"));

    public void Dispose() => _credentials.Dispose();

    [Fact]
    public void No_Configuration_Means_Anonymous_On_Loopback_And_No_Topic_Policy()
    {
        MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions());

        Assert.True(security.AllowAnonymous);
        Assert.Equal(MqttDeviceTopicPolicy.Off, security.TopicPolicy);
        Assert.True(security.MayPublish(null, "devices/anyone/messages/events/"));
        Assert.True(security.MaySubscribe(null, "#"));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.0.2.10")]
    public async Task Any_Other_Bind_Address_Requires_Authentication(string address)
    {
        using MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions { BindAddress = IPAddress.Parse(address) });

        Assert.False(security.AllowAnonymous);
        Assert.Equal(MqttConnectReasonCode.NotAuthorized, (await security.AuthenticateAsync(null, null, MqttTransportAuthentication.Plain, null, CancellationToken.None)).ReasonCode);
    }

    [Fact]
    public void Password_Checks_Leave_Half_The_Cores_To_Connected_Devices_By_Default()
    {
        int verifiers = new MqttAuthenticationOptions().MaxConcurrentVerifications;

        // A flood from many addresses keeps every verifier busy; on a 2-core gateway one core must stay free.
        Assert.InRange(verifiers, 1, Math.Max(1, Environment.ProcessorCount / 2));
    }

    [Fact]
    public void Credentials_File_Turns_Anonymous_Off_And_The_Topic_Policy_On()
    {
        MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions { CredentialsFile = _credentials.Path });

        Assert.False(security.AllowAnonymous);
        Assert.Equal(MqttDeviceTopicPolicy.PublishAndSubscribe, security.TopicPolicy);
    }

    [Fact]
    public void Explicit_Settings_Win_Over_The_Defaults()
    {
        MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions
        {
            CredentialsFile = _credentials.Path,
            AllowAnonymous = true,
            DeviceTopicPolicy = MqttDeviceTopicPolicy.Publish,
        });

        Assert.True(security.AllowAnonymous);
        Assert.Equal(MqttDeviceTopicPolicy.Publish, security.TopicPolicy);
        Assert.True(security.MaySubscribe("dev-1", "devices/#"));
    }

    [Theory]
    [InlineData("devices/dev-1/messages/events/", true)]
    [InlineData("medtech/dev-1/telemetry", true)]
    [InlineData("devices/dev-1", true)]
    [InlineData("devices/dev-2/messages/events/", false)]
    [InlineData("devices/dev-10/messages/events/", false)]
    [InlineData("devices", false)]
    [InlineData("dev-1/devices/x", false)]
    public void Device_May_Publish_Only_Under_Its_Own_Topic_Level(string topic, bool allowed)
    {
        MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions { CredentialsFile = _credentials.Path });

        Assert.Equal(allowed, security.MayPublish("dev-1", topic));
        Assert.False(security.MayPublish(null, topic));
    }

    [Theory]
    [InlineData("devices/dev-1/commands/#", true)]
    [InlineData("+/dev-1/#", true)]
    [InlineData("devices/dev-1", true)]
    [InlineData("devices/+/commands/#", false)]
    [InlineData("devices/#", false)]
    [InlineData("#", false)]
    [InlineData("devices/dev-2/commands/#", false)]
    public void Device_May_Subscribe_Only_To_Filters_Fixed_To_Its_Own_Topic_Level(string filter, bool allowed)
    {
        MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions { CredentialsFile = _credentials.Path });

        Assert.Equal(allowed, security.MaySubscribe("dev-1", filter));
    }

    [Theory]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("a/b")]
    public void Identity_That_Is_Not_One_Literal_Topic_Level_Owns_No_Topics(string identity)
    {
        MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions { CredentialsFile = _credentials.Path });

        Assert.False(security.MaySubscribe(identity, $"devices/{identity}/x"));
        Assert.False(security.MayPublish(identity, "devices/x/y"));
    }

    [Fact]
    public async Task Certificate_Identity_Authenticates_Without_A_Username()
    {
        using MqttServerSecurity security = MqttServerSecurity.Create(new MqttServerOptions { CredentialsFile = _credentials.Path });

        MqttAuthenticationResult result = await security.AuthenticateAsync(null, null, new MqttTransportAuthentication(true, true, "bed-7"), null, CancellationToken.None);

        Assert.Equal(MqttConnectReasonCode.Success, result.ReasonCode);
        Assert.Equal("bed-7", result.Identity);
    }
}
