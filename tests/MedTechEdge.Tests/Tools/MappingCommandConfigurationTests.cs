using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Tools;

/// <summary>
/// <c>mappings validate</c> and <c>debug</c> read the module's configuration for their default resolution type. A value
/// there that cannot be used is exit code 4 with one line naming the setting, as for the module and <c>replay</c>.
/// </summary>
public sealed class MappingCommandConfigurationTests : IDisposable
{
    private readonly TestFolder _test = new("medtechedge-mappings-config-");

    public void Dispose() => _test.Dispose();

    [Theory]
    [InlineData("validate")]
    [InlineData("debug")]
    public async Task An_Unusable_Module_Setting_Is_Exit_Code_4_Naming_It(string command)
    {
        string device = Path.Combine(_test.Path, "device.json");
        File.WriteAllText(device, MappingDebuggerTests.ScaleMapping);
        string message = Path.Combine(_test.Path, "message.json");
        File.WriteAllText(message, """{"device":"scale-1","time":"2026-11-21T07:00:00Z","weightLbs":"150"}""");
        string[] args = command == "validate"
            ? ["mappings", "validate", "--device", device, "--MedTechEdge:Pipeline:ResolutionType=Lookop"]
            : ["mappings", "debug", "--device", device, "--message", message, "--MedTechEdge:Pipeline:ResolutionType=Lookop"];

        (int exit, string stdout, string stderr) = await ModuleCommand.RunInProcessAsync(string.Empty, args);

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal(string.Empty, stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the module's configuration is unusable: ", line, StringComparison.Ordinal);
        Assert.Contains("MedTechEdge:Pipeline:ResolutionType", line, StringComparison.Ordinal);
    }
}
