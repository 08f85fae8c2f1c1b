using Amqp;
using Amqp.Sasl;
using Amqp.Types;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// The SASL mechanism the Event Hubs SDKs offer, <c>MSSBCBS</c>: it carries no credential, so the peer answers OK and
/// authorizes each connection later, through <c>$cbs</c> put-token.
/// </summary>
internal sealed class MssbCbsSaslProfile : SaslProfile
{
    public static readonly Symbol Name = new("MSSBCBS");

    public MssbCbsSaslProfile()
        : base(Name)
    {
    }

    protected override ITransport UpgradeTransport(ITransport transport) => transport;

    // The listener sends sasl-mechanisms itself; this profile only answers the client's sasl-init.
    protected override DescribedList? GetStartCommand(string hostname) => null;

    protected override DescribedList OnCommand(DescribedList command) => new SaslOutcome { Code = SaslCode.Ok };
}
