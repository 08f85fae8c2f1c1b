using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.Hosting;

/// <summary>
/// What a module does not use, it does not map (issue 16 §3: every assembly loaded is code in the resident set): no web
/// framework behind its HTTP endpoints, and no HTTP client when it has no FHIR server to talk to.
/// </summary>
public sealed class Unused_Assembly_Load_Tests : IDisposable
{
    private readonly TestFolder _test = new("medtechedge-unused-load-");

    public void Dispose() => _test.Dispose();

    [Fact]
    public async Task A_Module_Writing_Ndjson_Maps_No_Web_Framework_And_No_Http_Client_While_It_Serves_Metrics_And_The_Dashboard()
    {
        await using ModuleProcess module = await ModuleProcess.StartAsync(_test.Path, "--MedTechEdge:Dashboard:Port=0");
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(new Uri(module.MetricsUrl, "metrics"))).IsSuccessStatusCode);
        await Poll.UntilAsync(() => module.Output.Contains("Dashboard: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the dashboard to listen");

        string[] mapped = module.MappedFileNames();
        Assert.Contains("MedTechEdge.LocalHttp.dll", mapped);
        Assert.DoesNotContain(mapped, f => f.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.DoesNotContain("System.Net.Http.dll", mapped);
    }
}
