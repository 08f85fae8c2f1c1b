using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests;

/// <summary>One FHIR peer process shared by the module tests that need a FHIR server.</summary>
[CollectionDefinition(FhirPeerFixture.CollectionName)]
public sealed class FhirPeerCollection : ICollectionFixture<FhirPeerFixture>;
