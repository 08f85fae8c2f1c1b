using System.Text.Json;

namespace MedTechEdge.Tests.Deployment;

/// <summary>
/// The runtime settings chosen by measurement travel in the module's runtimeconfig.json, so they hold however the module
/// is started (the images, <c>dotnet MedTechEdge.dll</c>, the benches).
/// </summary>
public sealed class Module_Runtime_Settings_Tests
{
    [Fact]
    public void Idle_Thread_Pool_Workers_Do_Not_Spin_Before_They_Sleep()
    {
        string path = Path.ChangeExtension(ModuleBuild.DllPath, ".runtimeconfig.json");
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // Read by the runtime's thread pool (PortableThreadPool.WorkerThread) when it creates its semaphore.
        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out JsonElement spin), "the module's runtimeconfig.json sets no spin limit");
        Assert.Equal(0, spin.GetInt32());
    }
}
