using System.Text.RegularExpressions;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// The executable's command line (issue 14): help at every level and <c>--version</c> print on stdout and exit 0
/// without starting the module; a command line the parser refuses prints the error and the usage on stderr, nothing on
/// stdout, and exits 2; an input a tool cannot use is still exit 1.
/// </summary>
public sealed partial class CommandLineTests : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    private readonly TestFolder _test = new("medtechedge-cli-");

    private string Folder => _test.Path;

    public void Dispose() => _test.Dispose();

    // A deadline, not a hang: a help request that started the module would never return.
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => ModuleCommand.RunInProcessAsync(string.Empty, args).WaitAsync(s_deadline);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("mappings --help")]
    [InlineData("mappings debug -h")]
    [InlineData("help mappings validate")]
    [InlineData("jsonpath --help")]
    [InlineData("jmespath -h")]
    [InlineData("deadletters --help")]
    [InlineData("deadletters show --help")]
    [InlineData("help deadletters requeue")]
    [InlineData("mqtt hash-password --help")]
    [InlineData("replay --help")]
    public async Task Help_At_Every_Level_Prints_Usage_On_Stdout_And_Exits_0(string commandLine)
    {
        (int exit, string output, string errors) = await RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, errors);
    }

    [Fact]
    public async Task The_Root_Help_Lists_The_Module_Options_And_Every_Command()
    {
        (_, string output, _) = await RunAsync("--help");

        Assert.Contains("--simulate", output, StringComparison.Ordinal);
        Assert.Contains("--Section:Key=value", output, StringComparison.Ordinal);
        foreach (string command in (string[])["mappings", "jsonpath", "jmespath", "deadletters", "mqtt", "replay", "help"])
        {
            Assert.Matches(new Regex(@"^\s+" + command + @"\b", RegexOptions.Multiline), output);
        }
    }

    [Fact]
    public async Task The_Help_Of_A_Command_Names_Its_Options()
    {
        (_, string output, _) = await RunAsync("mappings", "debug", "--help");

        foreach (string option in (string[])["--device", "--fhir", "--message", "--properties", "--system-properties", "--resolution-type", "--fhir-url"])
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_Prints_The_Version_And_Exits_0()
    {
        (int exit, string output, string errors) = await RunAsync("--version");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches(VersionLine(), output);
        Assert.Equal(string.Empty, errors);
    }

    [Theory]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--port=1", "--port=1")]
    [InlineData("--MedTechEdge:Mqtt:Port", "has no value")]
    [InlineData("--MedTechEdge:Mqtt:Port --simulate", "has no value")]
    [InlineData("mappings frobnicate", "frobnicate")]
    [InlineData("mappings", "Required command")]
    [InlineData("mappings validate", "--device")]
    [InlineData("mappings validate --device a.json --fhir b.json --verbose", "--verbose")]
    [InlineData("jsonpath", "expression")]
    [InlineData("jsonpath $.a --dialect xpath", "xpath")]
    [InlineData("deadletters show twelve", "twelve")]
    [InlineData("deadletters show", "show")]
    [InlineData("deadletters requeue", "--all")]
    [InlineData("deadletters requeue 12 --all", "--all")]
    [InlineData("replay --input x --format xml", "xml")]
    [InlineData("replay --input x --progress soon", "soon")]
    [InlineData("--MedTechEdge:Mqtt:Port=1884 mappings validate --device a.json --fhir b.json", "--MedTechEdge:Mqtt:Port=1884")]
    public async Task A_Command_Line_The_Parser_Refuses_Is_An_Error_With_Usage_On_Stderr_And_Exit_2(string commandLine, string named)
    {
        (int exit, string output, string errors) = await RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(named, errors, StringComparison.Ordinal);
        Assert.Contains("Usage:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_File_The_Tool_Cannot_Read_Is_Exit_1_Without_Usage()
    {
        string missing = Path.Combine(Folder, "missing.json");

        (int exit, _, string errors) = await RunAsync("mappings", "validate", "--device", missing, "--fhir", missing);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.StartsWith("error: cannot read '" + missing + "'", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task Help_From_The_Executable_Exits_Without_Starting_The_Module(string arg)
    {
        // The module, once started, runs until it is stopped: an exit within the deadline means it never started.
        ModuleCommand.Result result = await ModuleCommand.RunAsync(Folder, s_deadline, arg);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Folder, "data")), "the store was created: the module started");
    }

    [Fact]
    public async Task An_Unknown_Option_From_The_Executable_Exits_2_With_The_Error_On_Stderr()
    {
        ModuleCommand.Result result = await ModuleCommand.RunAsync(Folder, s_deadline, "--simulat");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Contains("'--simulat'", result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Folder, "data")), "the store was created: the module started");
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+\S*\s*$")]
    private static partial Regex VersionLine();
}
