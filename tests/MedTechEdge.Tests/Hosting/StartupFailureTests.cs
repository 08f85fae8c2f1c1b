using System.Net;
using System.Net.Sockets;
using MedTechEdge.Tools;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// A start that cannot succeed, as an operator meets it (issue 14): the module process exits with a documented code
/// and one line on stderr that names what to change, never a stack trace. The MQTT listener is essential (the module
/// exists to take device data); the metrics endpoint and the dashboard are views, and the module runs on without them.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    private readonly TestFolder _test = new("medtechedge-startup-");

    private string Folder => _test.Path;

    public void Dispose() => _test.Dispose();

    [Fact]
    public async Task A_Taken_Mqtt_Port_Is_One_Line_Naming_The_Address_And_The_Setting_And_Exit_Code_5()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        ModuleCommand.Result result = await ModuleCommand.RunAsync(
            Folder,
            s_deadline,
            // The value as the next word, the other form .NET's command-line configuration reads (docs/configuration.md).
            "--MedTechEdge:Mqtt:Port",
            port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--MedTechEdge:Metrics:Port=0",
            "--MedTechEdge:Dashboard:Enabled=false");

        Assert.Equal(ExitCodes.CannotBind, result.ExitCode);
        string line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("MedTechEdge:Mqtt:Port", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out + result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Missing_Mapping_File_Is_Exit_Code_4_Naming_The_Setting_Without_A_Stack_Trace()
    {
        ModuleCommand.Result result = await ModuleCommand.RunAsync(
            Folder,
            s_deadline,
            "--MedTechEdge:Mappings:Device=" + Path.Combine(Folder, "missing.json"),
            "--MedTechEdge:Mqtt:Port=0",
            "--MedTechEdge:Metrics:Port=0",
            "--MedTechEdge:Dashboard:Enabled=false");

        Assert.Equal(ExitCodes.Configuration, result.ExitCode);
        string line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("MedTechEdge:Mappings", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out + result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Taken_Metrics_Port_Is_One_Warning_Naming_The_Setting_And_The_Module_Runs_On()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        // Later settings win: this port replaces the helper's free one.
        await using ModuleProcess module = await ModuleProcess.StartAsync(Folder, "--MedTechEdge:Metrics:Port=" + port, "--MedTechEdge:Dashboard:Enabled=false");

        string warning = Assert.Single(module.Output.Split('\n'), l => l.Contains("metrics and health endpoints cannot listen", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port}", warning, StringComparison.Ordinal);
        Assert.Contains("MedTechEdge:Metrics:Port", warning, StringComparison.Ordinal);
        Assert.False(module.HasExited);
    }

    [Fact]
    public async Task The_Start_Up_Log_Names_Sink_Resolution_Mappings_And_Store_Without_Secrets()
    {
        // A FHIR server that is never reached: the log names its host, not the token in its query nor the bearer token.
        await using ModuleProcess module = await ModuleProcess.StartAsync(
            Folder,
            "--MedTechEdge:Fhir:Url=http://fhir.example.invalid:8080/fhir?token=secret-token",
            "--MedTechEdge:Fhir:Authentication=BearerToken",
            "--MedTechEdge:Fhir:BearerToken=secret-bearer",
            "--MedTechEdge:Pipeline:ResolutionType=Lookup",
            "--MedTechEdge:Store:MaxSizeBytes=" + (64L << 20),
            "--MedTechEdge:Dashboard:Enabled=false");

        string log = module.Output;
        Assert.Contains("Writing to the FHIR server at fhir.example.invalid; identities resolved in Lookup mode.", log, StringComparison.Ordinal);
        Assert.Matches(@"Device mapping \S+devicecontent\.json \(\d+ templates\); FHIR mapping \S+fhirmapping\.json \(\d+ templates\)", log);
        Assert.Contains($"Store {Path.Combine(Folder, "data", "medtechedge.db")}, capped at 64 MiB.", log, StringComparison.Ordinal);
        Assert.Contains("MQTT listener accepting device connections on 127.0.0.1:", log, StringComparison.Ordinal);
        Assert.Contains("Metrics on http://127.0.0.1:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", log, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-bearer", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Start_Up_Log_Says_A_Store_Without_A_Cap_Is_Not_Capped()
    {
        // Store:MaxSizeBytes=0 is "no cap" (docs/configuration.md); the log said "capped at 0 MiB".
        await using ModuleProcess module = await ModuleProcess.StartAsync(Folder, "--MedTechEdge:Store:MaxSizeBytes=0", "--MedTechEdge:Dashboard:Enabled=false");

        Assert.Contains($"Store {Path.Combine(Folder, "data", "medtechedge.db")}, not capped.", module.Output, StringComparison.Ordinal);
    }
}
