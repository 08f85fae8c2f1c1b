using System.Diagnostics;
using Azure.Storage.Blobs;
using MedTechEdge.TestPeers;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// Azurite (tests/peers/azurite, Microsoft's Storage emulator) as the shared checkpoint store of several module
/// instances, with a fresh container per case.
/// </summary>
internal sealed class CheckpointContainers : IAsyncDisposable
{
    private readonly AzuriteFixture _azurite = new();

    private CheckpointContainers()
    {
    }

    /// <summary>The emulator's development account; it guards nothing but the emulator, and is never printed.</summary>
    public string ConnectionString => _azurite.ConnectionString;

    /// <summary>Azurite's node process, for its CPU time; null if it cannot be found.</summary>
    public Process? Process { get; private set; }

    public static async Task<CheckpointContainers> StartAsync()
    {
        var containers = new CheckpointContainers();
        await containers._azurite.InitializeAsync();
        containers.Process = PeerProcesses.Find("azurite");
        return containers;
    }

    /// <summary>Creates the container and returns its name.</summary>
    public async Task<string> CreateAsync(string name)
    {
        await new BlobContainerClient(ConnectionString, name).CreateIfNotExistsAsync();
        return name;
    }

    public async ValueTask DisposeAsync() => await _azurite.DisposeAsync();
}
