using System.Text.Json;
using MedTechEdge.IotEdge;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// A configuration from the twin that passed every check but cannot start on this host (here an MQTT bind address the
/// machine does not have) must not crash-loop the module: the entry point sets the layer aside and starts on the
/// module's own configuration.
/// </summary>
public sealed class Twin_Layer_Start_Tests
{
    [Fact]
    public async Task A_Twin_Layer_That_Fails_At_Start_Is_Set_Aside_And_The_Module_Runs_On_Its_Own_Configuration()
    {
        string folder = Directory.CreateTempSubdirectory("medtechedge-twin-start-").FullName;
        try
        {
            using JsonDocument desired = JsonDocument.Parse("""{"$version":4,"configuration":{"Mqtt":{"BindAddress":"10.255.255.1"}}}""");
            Assert.True(DesiredConfiguration.TryRead(desired.RootElement, out DesiredConfiguration? configuration, out List<DesiredConfigurationError> errors), string.Join("; ", errors));
            string twinFolder = Path.Combine(folder, "data", "twin");
            TwinLayer.Save(twinFolder, configuration!);

            // Started on the module's own configuration (loopback, a free port) once the layer is out of the way.
            await using ModuleProcess module = await ModuleProcess.StartAsync(folder);

            Assert.False(module.HasExited);
            Assert.False(File.Exists(Path.Combine(twinFolder, "applied.json")));
            Assert.True(File.Exists(Path.Combine(twinFolder, "rejected.json")));
            Assert.Contains("cannot start with the configuration from the twin, set aside", module.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
