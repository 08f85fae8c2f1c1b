using MedTechEdge.Mqtt.Server;
using MedTechEdge.TestPeers;

namespace MedTechEdge.IotEdge.Tests;

/// <summary>
/// The module's SAS token is renewed by a new connection before it expires, on the client's clock: an hour-long token
/// renewed at 80 % is tested in milliseconds by advancing the test clock 48 minutes.
/// </summary>
public sealed class EdgeModuleClientTokenRenewalTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_Token_Is_Renewed_At_Its_Renewal_Point_On_The_Clock_And_Not_Before()
    {
        await using FakeEdgeHub hub = await FakeEdgeHub.StartAsync("gw-1", "MedTechEdge");
        Assert.True(IotEdgeSettings.TryRead(new System.Collections.Hashtable { ["EdgeHubConnectionString"] = hub.ConnectionString }, out IotEdgeSettings? identity, out string? error), error);
        var clock = new TestClock();
        TimeSpan lifetime = TimeSpan.FromHours(1);
        TimeSpan renewal = lifetime * 0.8;
        await using var client = new EdgeModuleClient(identity!, new EdgeModuleClientOptions { Port = hub.TlsPort, CaFile = hub.Pki.CaFile, TokenLifetime = lifetime, TimeProvider = clock }, new NoInputs());

        await client.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => client.IsConnected && client.TokensIssued == 1, s_deadline, "connected with a first token");

        // The renewal waits on the clock for 80 % of the lifetime; a minute short of it, nothing happens.
        await clock.WaitForTimerAsync(renewal);
        clock.Advance(renewal - TimeSpan.FromMinutes(1));
        Assert.Equal(1, client.TokensIssued);

        clock.Advance(TimeSpan.FromMinutes(1));
        // The renewal drops the connection; the subscriber reconnects after its first backoff, a random share of a
        // second (full jitter) on the same clock, so the clock moves on in small steps until the new token is in use.
        await Poll.UntilAsync(
            () =>
            {
                if (client.TokensIssued == 2 && client.IsConnected)
                {
                    return true;
                }

                clock.Advance(TimeSpan.FromMilliseconds(100));
                return false;
            },
            s_deadline,
            "reconnected with a second token");

        // The new connection arms the next renewal, again for 80 % of a new token's lifetime.
        await clock.WaitForTimerAsync(renewal);
    }

    private sealed class NoInputs : IMqttIngestHandler
    {
        public ValueTask<MqttIngestResult> OnPublishAsync(MqttIngestMessage message, CancellationToken cancellationToken) => new(MqttIngestResult.Accepted);
    }
}
