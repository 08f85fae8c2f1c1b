using MedTechEdge.TestPeers;

namespace MedTechEdge.Fhir.Tests;

/// <summary>Tests that talk to the FHIR peer share one node process (start-up costs ~1.5 s).</summary>
[CollectionDefinition(FhirPeerFixture.CollectionName)]
public sealed class FhirPeerCollection : ICollectionFixture<FhirPeerFixture>
{
}
