using Amqp;
using Amqp.Sasl;
using Amqp.Types;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// A SASL mechanism that carries no credential and is answered OK, because Event Hubs authorizes each connection
/// afterwards, through <c>$cbs</c> put-token. The .NET SDK offers <c>MSSBCBS</c>, the Node SDK <c>ANONYMOUS</c>.
/// </summary>
internal sealed class CbsSaslProfile(Symbol mechanism, TimeSpan pauseAfterOutcome) : SaslProfile(mechanism)
{
    public static readonly Symbol MssbCbsMechanism = new("MSSBCBS");
    public static readonly Symbol AnonymousMechanism = new("ANONYMOUS");

    // Runs after the outcome went out and before any AMQP frame does. The Node SDK's AMQP library (rhea) can lose
    // what follows the SASL outcome in the same TCP read and then waits forever (../shared/research/eventhubs-amqp.md);
    // a short pause here keeps the two apart.
    protected override ITransport UpgradeTransport(ITransport transport)
    {
        if (pauseAfterOutcome > TimeSpan.Zero)
        {
            Thread.Sleep(pauseAfterOutcome);
        }

        return transport;
    }

    // The listener sends sasl-mechanisms itself; this profile only answers the client's sasl-init.
    protected override DescribedList? GetStartCommand(string hostname) => null;

    protected override DescribedList OnCommand(DescribedList command) => new SaslOutcome { Code = SaslCode.Ok };
}
