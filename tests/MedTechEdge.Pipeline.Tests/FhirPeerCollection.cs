using MedTechEdge.TestPeers;

namespace MedTechEdge.Pipeline.Tests;

/// <summary>One FHIR peer process shared by the pipeline tests that need a FHIR server.</summary>
[CollectionDefinition(FhirPeerFixture.CollectionName)]
public sealed class FhirPeerCollection : ICollectionFixture<FhirPeerFixture>;
