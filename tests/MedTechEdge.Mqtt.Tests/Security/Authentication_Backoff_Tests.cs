using System.Net;
using MedTechEdge.Mqtt.Security;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>Per-address backoff after repeated refused passwords, on a manual clock (issue 12, item 3).</summary>
/// <remarks>Threshold 3 failures in a minute, first backoff 10 s, at most 25 s.</remarks>
public sealed class Authentication_Backoff_Tests
{
    private static readonly IPAddress s_attacker = IPAddress.Parse("192.0.2.66");
    private readonly TestClock _clock = new();

    private MqttAuthenticationBackoff Backoff() =>
        new(failuresBeforeBackoff: 3, window: TimeSpan.FromMinutes(1), firstBackoff: TimeSpan.FromSeconds(10), maxBackoff: TimeSpan.FromSeconds(25), _clock);

    [Fact]
    public void The_Nth_Failure_In_The_Window_Backs_The_Address_Off_Until_The_Period_Ends()
    {
        MqttAuthenticationBackoff backoff = Backoff();

        Assert.False(Fail(backoff, s_attacker));
        Assert.False(Fail(backoff, s_attacker));
        Assert.False(backoff.IsBackedOff(s_attacker));
        Assert.True(Fail(backoff, s_attacker));

        Assert.True(backoff.IsBackedOff(s_attacker));
        Assert.False(backoff.IsBackedOff(IPAddress.Loopback));
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.True(backoff.IsBackedOff(s_attacker));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(backoff.IsBackedOff(s_attacker));
    }

    [Fact]
    public void Failures_Spread_Wider_Than_The_Window_Never_Back_Off()
    {
        MqttAuthenticationBackoff backoff = Backoff();

        for (int i = 0; i < 10; i++)
        {
            Assert.False(Fail(backoff, s_attacker));
            _clock.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.False(backoff.IsBackedOff(s_attacker));
    }

    [Fact]
    public void Each_Further_Backoff_While_Failures_Continue_Doubles_Up_To_The_Maximum()
    {
        MqttAuthenticationBackoff backoff = Backoff();

        TimeSpan first = TripAndMeasure(backoff);
        TimeSpan second = TripAndMeasure(backoff);
        TimeSpan third = TripAndMeasure(backoff);

        Assert.Equal(TimeSpan.FromSeconds(10), first);
        Assert.Equal(TimeSpan.FromSeconds(20), second);
        Assert.Equal(TimeSpan.FromSeconds(25), third);

        // A quiet window afterwards starts over at the first period.
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.FromSeconds(10), TripAndMeasure(backoff));
    }

    [Fact]
    public void An_IPv4_Mapped_Address_Is_The_Same_Client_As_Its_IPv4_Form()
    {
        MqttAuthenticationBackoff backoff = Backoff();

        Fail(backoff, s_attacker);
        Fail(backoff, s_attacker.MapToIPv6());
        Fail(backoff, s_attacker);

        Assert.True(backoff.IsBackedOff(s_attacker.MapToIPv6()));
    }

    [Fact]
    public void Checks_In_Progress_Count_Against_The_Budget_So_A_Parallel_Flood_Gets_No_More_Checks()
    {
        MqttAuthenticationBackoff backoff = Backoff();

        Assert.True(backoff.TryBeginCheck(s_attacker, out MqttAuthenticationBackoff.Check check));
        Assert.True(backoff.TryBeginCheck(s_attacker, out _));
        Assert.True(backoff.TryBeginCheck(s_attacker, out _));
        Assert.False(backoff.TryBeginCheck(s_attacker, out _));

        // Another address is not affected; a check that succeeds gives its reservation back.
        Assert.True(backoff.TryBeginCheck(IPAddress.Loopback, out _));
        Assert.False(backoff.EndCheck(check, failed: false));
        Assert.True(backoff.TryBeginCheck(s_attacker, out _));
    }

    [Fact]
    public void After_A_Backoff_One_More_Failure_Backs_Off_Again_Until_A_Quiet_Window()
    {
        MqttAuthenticationBackoff backoff = Backoff();
        TripAndMeasure(backoff);

        Assert.True(Fail(backoff, s_attacker));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(Fail(backoff, s_attacker));
        Assert.False(backoff.IsBackedOff(s_attacker));
    }

    [Fact]
    public void An_Address_That_Failed_In_The_Window_Is_Suspect_And_A_Fresh_One_Is_Not()
    {
        MqttAuthenticationBackoff backoff = Backoff();
        Fail(backoff, s_attacker);

        Assert.True(backoff.TryBeginCheck(s_attacker, out MqttAuthenticationBackoff.Check attacker));
        Assert.True(backoff.TryBeginCheck(IPAddress.Loopback, out MqttAuthenticationBackoff.Check fresh));

        Assert.True(attacker.Suspect);
        Assert.False(fresh.Suspect);
    }

    [Fact]
    public void A_Second_Check_While_The_First_Is_In_Flight_Is_Suspect()
    {
        MqttAuthenticationBackoff backoff = Backoff();

        Assert.True(backoff.TryBeginCheck(s_attacker, out MqttAuthenticationBackoff.Check first));
        Assert.True(backoff.TryBeginCheck(s_attacker, out MqttAuthenticationBackoff.Check second));

        Assert.False(first.Suspect);
        Assert.True(second.Suspect, "parallel CONNECTs from one fresh address wait behind everyone else");
    }

    [Fact]
    public void One_IPv6_Host_Is_Backed_Off_Across_Its_Whole_64_And_Its_Neighbour_Prefix_Is_Not()
    {
        MqttAuthenticationBackoff backoff = Backoff();

        // Three addresses of one /64, as a host with a /64 gets them for free (SLAAC privacy addresses, RFC 8981).
        Assert.False(Fail(backoff, IPAddress.Parse("2001:db8:1:2::1")));
        Assert.False(Fail(backoff, IPAddress.Parse("2001:db8:1:2:aaaa::2")));
        Assert.True(Fail(backoff, IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:fffe")));

        Assert.True(backoff.IsBackedOff(IPAddress.Parse("2001:db8:1:2::9999")));
        Assert.False(backoff.TryBeginCheck(IPAddress.Parse("2001:db8:1:2::4"), out _));
        Assert.False(backoff.IsBackedOff(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void When_The_Table_Is_Full_New_Addresses_Are_Suspect_And_Share_One_Budget()
    {
        MqttAuthenticationBackoff backoff = Backoff();
        for (int i = 0; i < MqttAuthenticationBackoff.MaxTrackedAddresses; i++)
        {
            // One failure each: live entries, none of which may be pruned within the window.
            Fail(backoff, new IPAddress(0x0A000000 + i));
        }

        // Three fresh addresses beyond the table: each is suspect, and together they spend one address's budget.
        for (int i = 0; i < 3; i++)
        {
            Assert.True(backoff.TryBeginCheck(IPAddress.Parse("198.51.100." + (i + 1)), out MqttAuthenticationBackoff.Check check));
            Assert.True(check.Suspect, "an untracked address goes to the low-priority lane");
            backoff.EndCheck(check, failed: true);
        }

        Assert.False(backoff.TryBeginCheck(IPAddress.Parse("198.51.100.200"), out _));

        // The overflow budget is a backoff like any other: it ends.
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(backoff.TryBeginCheck(IPAddress.Parse("198.51.100.201"), out _));
    }

    private static bool Fail(MqttAuthenticationBackoff backoff, IPAddress address)
    {
        Assert.True(backoff.TryBeginCheck(address, out MqttAuthenticationBackoff.Check check), "a check was allowed");
        return backoff.EndCheck(check, failed: true);
    }

    private TimeSpan TripAndMeasure(MqttAuthenticationBackoff backoff)
    {
        while (!Fail(backoff, s_attacker))
        {
        }

        TimeSpan blocked = TimeSpan.Zero;
        while (backoff.IsBackedOff(s_attacker))
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            blocked += TimeSpan.FromSeconds(1);
        }

        return blocked;
    }
}
