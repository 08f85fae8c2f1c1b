using System.Text.Json;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.IotEdge;

/// <summary>The module's direct methods, invoked through edgeHub's stand-in as IoT Hub invokes them.</summary>
public sealed class EdgeHub_Methods_Tests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_Method_Answers_Through_edgeHub()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        // GetStatus: the same status as reported, on demand.
        (int status, JsonDocument body) = await hub.InvokeMethodAsync("GetStatus", "null", s_timeout);
        Assert.Equal(200, status);
        Assert.True(body.RootElement.GetProperty("status").GetProperty("edgeHubConnected").GetBoolean());
        Assert.Equal("module", body.RootElement.GetProperty("configuration").GetProperty("state").GetString());

        // ValidateMappings: a good pair, then a broken one with its line and position.
        string device = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mappings", "devicecontent.json"));
        string fhir = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mappings", "fhirmapping.json"));
        (status, body) = await hub.InvokeMethodAsync("ValidateMappings", $$"""{"device":{{device}},"fhir":{{fhir}}}""", s_timeout);
        Assert.Equal(200, status);
        Assert.True(body.RootElement.GetProperty("valid").GetBoolean(), body.RootElement.GetRawText());
        (status, body) = await hub.InvokeMethodAsync("ValidateMappings", """{"device":{"templateType":"CollectionContent","template":[{"templateType":"NoSuchContent","template":{}}]}}""", s_timeout);
        Assert.Equal(200, status);
        Assert.False(body.RootElement.GetProperty("valid").GetBoolean());
        JsonElement error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal("mappings.device", error.GetProperty("place").GetString());
        Assert.True(error.GetProperty("line").GetInt32() > 0);

        // DebugMapping: a sample message through the running mappings.
        (status, body) = await hub.InvokeMethodAsync("DebugMapping", $$"""{"message":{{EdgeHubRig.HeartRate}}}""", s_timeout);
        Assert.Equal(200, status);
        Assert.Equal(1, body.RootElement.GetProperty("measurements").GetArrayLength());
        JsonElement observation = body.RootElement.GetProperty("observations")[0];
        Assert.Equal("Observation", observation.GetProperty("resourceType").GetString());
        Assert.Equal(61, observation.GetProperty("valueQuantity").GetProperty("value").GetInt32());

        // DebugMapping follows `mappings debug`: another resolution type, and a device mapping alone with "fhir": null.
        (status, body) = await hub.InvokeMethodAsync("DebugMapping", $$"""{"message":{{EdgeHubRig.HeartRate}},"resolutionType":"Lookup"}""", s_timeout);
        Assert.Equal(200, status);
        Assert.Equal("Lookup", body.RootElement.GetProperty("resolutionType").GetString());
        JsonElement identity = body.RootElement.GetProperty("identities")[0];
        Assert.Equal("placeholder", identity.GetProperty("source").GetString());
        Assert.StartsWith("GET Device?identifier=", identity.GetProperty("requests")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Patient/(patient of Device identifier ", body.RootElement.GetProperty("observations")[0].GetProperty("subject").GetProperty("reference").GetString(), StringComparison.Ordinal);
        (status, body) = await hub.InvokeMethodAsync("DebugMapping", $$"""{"message":{{EdgeHubRig.HeartRate}},"fhir":null}""", s_timeout);
        Assert.Equal(200, status);
        Assert.Equal(1, body.RootElement.GetProperty("measurements").GetArrayLength());
        Assert.Equal(0, body.RootElement.GetProperty("observations").GetArrayLength());
        (status, body) = await hub.InvokeMethodAsync("DebugMapping", $$"""{"message":{{EdgeHubRig.HeartRate}},"resolutionType":"Sometimes"}""", s_timeout);
        Assert.Equal(400, status);
        Assert.Contains("LookupWithEncounter", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Flush: answered with what it wrote (no SampledData windows are open here).
        (status, body) = await hub.InvokeMethodAsync("Flush", "null", s_timeout);
        Assert.Equal(200, status);
        Assert.Equal(0, body.RootElement.GetProperty("windowsFlushed").GetInt32());

        // Unknown methods and bad payloads.
        (status, _) = await hub.InvokeMethodAsync("Reboot", "null", s_timeout);
        Assert.Equal(501, status);
        (status, body) = await hub.InvokeMethodAsync("RequeueDeadLetters", "\"everything\"", s_timeout);
        Assert.Equal(400, status);
        Assert.Contains("ids", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Dead_Letter_Goes_Out_On_Its_Output_And_Requeue_Puts_It_Back_In_The_Pipeline()
    {
        await using FakeEdgeHub hub = await EdgeHubRig.StartHubAsync();
        await using ModuleUnderTest module = await EdgeHubRig.StartModuleAsync(hub);
        await EdgeHubRig.WaitUntilReportedAsync(hub);

        await hub.SendToInputAsync("devicedata", "{not json", EdgeHubRig.Bag);

        await Eventually.TrueAsync(() => module.Map.DeadLetteredCount == 1, s_timeout, "the dead letter");
        (string topic, string letter) = await EdgeHubRig.WaitForOutputAsync(hub, "deadletters");
        Assert.Contains("stage=map", topic, StringComparison.OrdinalIgnoreCase);
        using JsonDocument dead = JsonDocument.Parse(letter);
        Assert.Equal("{not json", dead.RootElement.GetProperty("body").GetString());
        Assert.False(string.IsNullOrEmpty(dead.RootElement.GetProperty("error").GetString()));

        (int status, JsonDocument body) = await hub.InvokeMethodAsync("RequeueDeadLetters", """{"all":true}""", s_timeout);

        Assert.Equal(200, status);
        Assert.Equal(1, body.RootElement.GetProperty("requeued").GetInt32());
        // Mapped again, and refused again, since the message is still not JSON: a second dead letter.
        await Eventually.TrueAsync(() => module.Map.DeadLetteredCount == 2, s_timeout, "the requeued message mapped again");
    }
}
