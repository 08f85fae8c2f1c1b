using System.Security.Cryptography.X509Certificates;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>The hub an <see cref="EventHubsAmqpPeer"/> plays and the key it signs tokens with.</summary>
public sealed class EventHubsAmqpPeerOptions
{
    public string Hub { get; init; } = "vitals";

    public int PartitionCount { get; init; } = 4;

    /// <summary>The consumer groups receive links may name; any other is refused with amqp:not-found.</summary>
    public IReadOnlyList<string> ConsumerGroups { get; init; } = ["$Default"];

    public string KeyName { get; init; } = "send-policy";

    public string Key { get; init; } = "cGVlci1rZXktZm9yLXRlc3RzLW9ubHk=";

    /// <summary>The max-message-size the peer sets on each send link's attach; the SDK sizes its batches by it.</summary>
    public ulong MaxMessageSize { get; init; } = 1_048_576;

    /// <summary>
    /// When set, the peer speaks AMQP over TLS (amqps) with this certificate, as the service does on 5671; a client
    /// reaches it with <c>CustomEndpointAddress = amqps://127.0.0.1:PORT</c> and trusts exactly this certificate.
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// The one Entra ID access token the peer takes (a <c>jwt</c> put-token, or a management request's
    /// <c>security_token</c>); null: JWTs are refused. The peer does not parse it: a test's credential hands it out.
    /// </summary>
    public string? BearerToken { get; init; }

    /// <summary>Where the partitions' enqueued times come from; tests may pin it.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
