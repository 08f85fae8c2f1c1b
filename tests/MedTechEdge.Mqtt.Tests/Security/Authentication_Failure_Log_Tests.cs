using System.Net;
using MedTechEdge.Mqtt.Protocol;
using MedTechEdge.Mqtt.Security;
using MedTechEdge.Mqtt.Tests.TestSupport;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>Refused CONNECTs are logged as one Warning per source address per interval, with a count (issue 12, item 3).</summary>
public sealed class Authentication_Failure_Log_Tests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);
    private readonly TestClock _clock = new();
    private readonly RecordingLogger _log = new();

    [Fact]
    public void The_First_Refusal_Is_Logged_At_Once_And_The_Rest_Of_The_Interval_As_One_Count()
    {
        var failures = new MqttAuthenticationFailureLog(_log, s_interval, _clock);
        IPAddress address = IPAddress.Parse("192.0.2.7");

        failures.Record(address, MqttConnectReasonCode.BadUserNameOrPassword);
        for (int i = 0; i < 50; i++)
        {
            failures.Record(address, MqttConnectReasonCode.BadUserNameOrPassword);
        }

        failures.Flush();
        string first = Assert.Single(Warnings());
        Assert.Contains("Refused 1 CONNECT(s) from 192.0.2.7", first, StringComparison.Ordinal);

        _clock.Advance(s_interval);
        failures.Flush();
        Assert.Equal(2, Warnings().Length);
        Assert.Contains("Refused 50 CONNECT(s) from 192.0.2.7", Warnings()[1], StringComparison.Ordinal);
        Assert.Contains("BadUserNameOrPassword", Warnings()[1], StringComparison.Ordinal);

        // A quiet interval writes nothing more.
        _clock.Advance(s_interval);
        failures.Flush();
        Assert.Equal(2, Warnings().Length);
    }

    [Fact]
    public void Each_Address_Has_Its_Own_Line()
    {
        var failures = new MqttAuthenticationFailureLog(_log, s_interval, _clock);

        failures.Record(IPAddress.Parse("192.0.2.7"), MqttConnectReasonCode.BadUserNameOrPassword);
        failures.Record(IPAddress.Loopback, MqttConnectReasonCode.NotAuthorized);
        failures.Record(IPAddress.Loopback, MqttConnectReasonCode.NotAuthorized);

        Assert.Equal(2, Warnings().Length);
        Assert.Contains(Warnings(), line => line.Contains("from 127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public void An_IPv6_Source_Is_Its_64_So_A_Host_Changing_Addresses_Gets_One_Line()
    {
        var failures = new MqttAuthenticationFailureLog(_log, s_interval, _clock);

        failures.Record(IPAddress.Parse("2001:db8:1:2::1"), MqttConnectReasonCode.BadUserNameOrPassword);
        failures.Record(IPAddress.Parse("2001:db8:1:2::2"), MqttConnectReasonCode.BadUserNameOrPassword);

        string line = Assert.Single(Warnings());
        Assert.Contains("from 2001:db8:1:2::/64", line, StringComparison.Ordinal);
    }

    private string[] Warnings() => [.. _log.Lines.Where(l => l.StartsWith("Warning:", StringComparison.Ordinal))];
}
