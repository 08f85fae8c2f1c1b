using MedTechEdge.Hosting;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// A setting whose value the configuration binder cannot convert (a port that is not a number, an unknown resolution
/// type), or that is out of its range (a burst threshold of zero), is an unusable configuration like any other: one line naming the
/// setting and exit code 4 (docs/operations.md, "Exit codes"), never the binder's exception with a stack trace.
/// </summary>
public sealed class UnconvertibleSettingTests : IDisposable
{
    private readonly TestFolder _test = new("medtechedge-unconvertible-");

    public void Dispose() => _test.Dispose();

    [Theory]
    [InlineData("--MedTechEdge:Mqtt:Port=18x3", "MedTechEdge:Mqtt:Port")]
    [InlineData("--MedTechEdge:Pipeline:ResolutionType=Lookop", "MedTechEdge:Pipeline:ResolutionType")]
    [InlineData("--MedTechEdge:Pipeline:BurstCommitSize=0", "MedTechEdge:Pipeline:BurstCommitSize")]
    [InlineData("--MedTechEdge:Pipeline:BurstDeferral=-00:00:01", "MedTechEdge:Pipeline:BurstDeferral")]
    public void Building_The_Host_Refuses_It_By_Name(string setting, string name)
    {
        var ex = Assert.Throws<ModuleStartupException>(() => ModuleHost.Build([setting, "--MedTechEdge:Store:Path=" + Path.Combine(_test.Path, "store.db")]));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Configuration, ex.ExitCode);
    }

    [Fact]
    public async Task The_Module_Exits_With_Code_4_And_One_Line()
    {
        (int exit, string stdout, string stderr) = await ModuleCommand.RunInProcessAsync(string.Empty, ["--MedTechEdge:Mqtt:Port=18x3", "--MedTechEdge:Store:Path=" + Path.Combine(_test.Path, "store.db")]);

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal(string.Empty, stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("MedTechEdge cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains("MedTechEdge:Mqtt:Port", line, StringComparison.Ordinal);
    }
}
