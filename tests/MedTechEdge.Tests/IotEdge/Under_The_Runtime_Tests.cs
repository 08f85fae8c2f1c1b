using System.Text.Json.Nodes;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.IotEdge;

/// <summary>
/// The built module as its own process with the environment the IoT Edge runtime gives a module (IOTEDGE_*): it
/// fetches the trust bundle and has its SAS tokens signed by the workload API over the unix socket (which checks
/// what it signs), connects to edgeHub over TLS trusting that bundle, and applies a twin configuration by restarting
/// its pipeline inside the same process.
/// </summary>
public sealed class Under_The_Runtime_Tests
{
    private const string ModuleKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    [Fact]
    public async Task The_Module_Signs_Through_The_Workload_Api_Trusts_Its_Bundle_And_Restarts_Onto_A_Twin_Configuration()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        using var workload = new FakeWorkloadApi(ModuleKey, "hub.azure-devices.net", EdgeHubRig.Device, EdgeHubRig.Module, "gen-1", File.ReadAllText(hub.Pki.CaFile));
        string folder = Directory.CreateTempSubdirectory("medtechedge-runtime-").FullName;
        try
        {
            await using ModuleProcess module = await ModuleProcess.StartAsync(folder, workload.ModuleEnvironment("127.0.0.1"),
                "--MedTechEdge:EdgeHub:Port=" + hub.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--MedTechEdge:EdgeHub:ReportInterval=00:00:01");

            JsonObject first = await EdgeHubRig.WaitUntilReportedAsync(hub);
            long started = (long)first["status"]!["uptimeSeconds"]!;
            Assert.Contains(workload.Requests, r => r.StartsWith("GET /trust-bundle?api-version=2018-06-28", StringComparison.Ordinal));
            Assert.Contains(workload.Requests, r => r.StartsWith("POST /modules/MedTechEdge/genid/gen-1/sign?api-version=2018-06-28", StringComparison.Ordinal));
            Assert.Equal(0, workload.RefusedSignings);
            Assert.Contains("u'hub.azure-devices.net/gw-1/MedTechEdge/?api-version=2018-06-30'", hub.Log, StringComparison.Ordinal);

            await hub.PatchDesiredAsync(new JsonObject { ["configuration"] = new JsonObject { ["Pipeline"] = new JsonObject { ["SampledDataFlushInterval"] = "00:00:09" } } });

            JsonObject applied;
            try
            {
                applied = await hub.WaitForReportedAsync(r => (string?)r["configuration"]?["state"] == "applied", TimeSpan.FromSeconds(60), "applied after the restart");
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException(ex.Message + "\nModule output:\n" + module.Output, ex);
            }

            Assert.Equal(2L, (long?)applied["configuration"]!["appliedVersion"]);
            Assert.False(module.HasExited, "the restart happens inside the process:\n" + module.Output);
            Assert.True(File.Exists(Path.Combine(folder, "data", "twin", "applied.json")));
            Assert.Contains("restarting the pipeline", module.Output, StringComparison.Ordinal);
            Assert.True(started >= 0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
