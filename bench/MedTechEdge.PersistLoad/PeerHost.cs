using MedTechEdge.TestPeers;

namespace MedTechEdge.PersistLoad;

/// <summary>The FHIR test peer, started and stopped like a test fixture.</summary>
internal sealed class PeerHost : IAsyncDisposable
{
    public FhirPeerFixture Fixture { get; } = new();

    public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
}
