using System.Text.Json.Nodes;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.IotEdge;

/// <summary>
/// Configuration through the module twin, against edgeHub's stand-in: the module reads the twin at connection,
/// validates desired configuration and mappings before applying them, restarts onto an accepted one, and reports the
/// outcome (with line and position for mapping errors) and its status in reported properties.
/// </summary>
public sealed class EdgeHub_Twin_Tests
{
    [Fact]
    public async Task The_Module_Reads_Its_Twin_At_Connection_And_Reports_Status()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);

        JsonObject reported = await EdgeHubRig.WaitUntilReportedAsync(hub);

        Assert.True(hub.TwinReads >= 1);
        Assert.Equal("module", (string?)reported["configuration"]!["state"]);
        JsonObject status = reported["status"]!.AsObject();
        Assert.True((bool?)status["edgeHubConnected"]);
        Assert.NotNull(status["backlog"]!["inbox"]);
        Assert.False(string.IsNullOrEmpty((string?)status["version"]));
        // The module signs in as a module client of edgeHub: client id {device}/{module}, 3.1.1, the IoT Hub user name.
        Assert.Contains("as gw-1/MedTechEdge (p2, c0", hub.Log, StringComparison.Ordinal);
        Assert.Contains("u'hub.azure-devices.net/gw-1/MedTechEdge/?api-version=2018-06-30'", hub.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Valid_Desired_Configuration_Is_Applied_By_A_Restart_And_Reported_Applied()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        string folder;
        await using (ModuleUnderTest first = await EdgeHubRig.StartModuleAsync(hub))
        {
            first.KeepFolder = true;
            folder = first.Folder;
            await EdgeHubRig.WaitUntilReportedAsync(hub);
            var lifetime = (Microsoft.Extensions.Hosting.IHostApplicationLifetime)first.Services.GetService(typeof(Microsoft.Extensions.Hosting.IHostApplicationLifetime))!;

            await hub.PatchDesiredAsync(new JsonObject { ["configuration"] = new JsonObject { ["Pipeline"] = new JsonObject { ["SampledDataFlushInterval"] = "00:00:07" } } });

            await hub.WaitForReportedAsync(r => (string?)r["configuration"]?["state"] == "restarting", TimeSpan.FromSeconds(30), "restarting");
            await Eventually.TrueAsync(() => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(10), "the host asked to stop for the restart");
            Assert.True(File.Exists(Path.Combine(folder, "twin", "applied.json")));
        }

        // What ModuleEntryPoint does after the stop: a new host on the same folder, which starts on the twin's layer.
        try
        {
            await using ModuleUnderTest second = await ModuleUnderTest.StartInAsync(folder, null, EdgeHubRig.Arguments(hub));
            JsonObject reported = await hub.WaitForReportedAsync(r => (string?)r["configuration"]?["state"] == "applied", TimeSpan.FromSeconds(30), "applied");

            Assert.Equal(2L, (long?)reported["configuration"]!["appliedVersion"]);
            Assert.Equal(TimeSpan.FromSeconds(7), second.Services.GetService(typeof(MedTechEdge.Pipeline.PipelineOptions)) is MedTechEdge.Pipeline.PipelineOptions p ? p.SampledDataFlushInterval : TimeSpan.Zero);
        }
        finally
        {
            // The second module removes the folder on dispose; this covers a failed start.
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_Desired_Patch_No_Newer_Than_The_Twin_Read_Is_Not_Merged()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        // The twin read at connection was version 1; a notification of version 1 arriving late must not roll it back.
        await hub.SendDesiredNotificationAsync(new JsonObject { ["configuration"] = new JsonObject { ["Pipeline"] = new JsonObject { ["SampledDataFlushInterval"] = "00:00:05" } } }, 1);
        await hub.PatchDesiredAsync(new JsonObject { ["configuration"] = new JsonObject { ["Pipeline"] = new JsonObject { ["MapBatchSize"] = 64 } } });

        await hub.WaitForReportedAsync(r => (string?)r["configuration"]?["state"] == "restarting", TimeSpan.FromSeconds(30), "restarting");
        string applied = File.ReadAllText(Path.Combine(module.Folder, "twin", "applied.json"));
        Assert.Contains("MapBatchSize", applied, StringComparison.Ordinal);
        Assert.DoesNotContain("SampledDataFlushInterval", applied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Broken_Mapping_In_The_Twin_Is_Refused_With_Line_And_Position_And_The_Module_Keeps_Running()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        // A JsonPathContent template whose value expression is not JSONPath.
        JsonObject device = JsonNode.Parse("""
            {"templateType":"CollectionContent","template":[{"templateType":"JsonPathContent","template":{
              "typeName":"heartrate","typeMatchExpression":"$..[?(@heartRate)]","deviceIdExpression":"$.deviceId",
              "timestampExpression":"$.measurementTime","values":[{"valueName":"hr","valueExpression":"$.[[heartRate","required":true}]}}]}
            """)!.AsObject();
        await hub.PatchDesiredAsync(new JsonObject { ["mappings"] = new JsonObject { ["device"] = device } });

        JsonObject reported = await hub.WaitForReportedAsync(r => (string?)r["configuration"]?["state"] == "rejected", TimeSpan.FromSeconds(30), "rejected");
        JsonObject error = reported["configuration"]!["errors"]![0]!.AsObject();
        Assert.Equal("mappings.device", (string?)error["place"]);
        Assert.True((int?)error["line"] > 0 && (int?)error["position"] > 0, error.ToJsonString());
        Assert.False(File.Exists(Path.Combine(module.Folder, "twin", "applied.json")));

        // Still ingesting with the running mapping.
        await hub.SendToInputAsync("devicedata", EdgeHubRig.HeartRate, EdgeHubRig.Bag);
        await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, TimeSpan.FromSeconds(30), "the message persisted");
    }

    [Theory]
    [InlineData("Fhir", "ClientSecret", "configuration.Fhir.ClientSecret")]
    [InlineData("EventHub", "ConnectionString", "configuration.EventHub.ConnectionString")]
    [InlineData("Pipeline", "NoSuchSetting", "configuration")]
    public async Task Secrets_And_Unknown_Settings_In_The_Twin_Are_Refused(string section, string key, string place)
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        await hub.PatchDesiredAsync(new JsonObject { ["configuration"] = new JsonObject { [section] = new JsonObject { [key] = "x" } } });

        JsonObject reported = await hub.WaitForReportedAsync(r => (string?)r["configuration"]?["state"] == "rejected", TimeSpan.FromSeconds(30), "rejected");
        JsonObject error = reported["configuration"]!["errors"]![0]!.AsObject();
        Assert.Equal(place, (string?)error["place"]);
        Assert.Contains(key, reported.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Configuration_The_Module_Cannot_Start_With_Is_Refused_Before_Any_Restart()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        // Each key is fine alone; together the module would not start (Fhir sink without a URL): the trial build says so.
        await hub.PatchDesiredAsync(new JsonObject { ["configuration"] = new JsonObject { ["Sink"] = "Fhir" } });

        JsonObject reported = await hub.WaitForReportedAsync(r => (string?)r["configuration"]?["state"] == "rejected", TimeSpan.FromSeconds(30), "rejected");
        Assert.Contains("Fhir:Url is empty", reported["configuration"]!["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
