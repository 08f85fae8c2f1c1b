using MedTechEdge.TestPeers;

namespace MedTechEdge.EventHubs.Tests.Checkpoints;

/// <summary>Tests against Azurite share one node process; each test takes a container of its own.</summary>
[CollectionDefinition(AzuriteFixture.CollectionName)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
}
