using System.Text.Json.Nodes;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.IotEdge;

/// <summary>A module connected to a <see cref="FakeEdgeHub"/> over TLS, with short report intervals for tests.</summary>
internal static class EdgeHubRig
{
    public const string Device = "gw-1";
    public const string Module = "MedTechEdge";
    public const string HeartRate = """{"deviceId":"bed-9","patientId":"p-9","measurementTime":"2026-11-21T10:00:00Z","heartRate":61}""";
    public const string Bag = "%24.cdid=bed-9&%24.ct=application%2Fjson&ward=4B";

    public static Task<FakeEdgeHub> StartHubAsync(JsonObject? desired = null) => FakeEdgeHub.StartAsync(Device, Module, desired);

    public static Task<ModuleUnderTest> StartModuleAsync(FakeEdgeHub hub, params string[] extra) =>
        ModuleUnderTest.StartAsync(null, [.. Arguments(hub), .. extra]);

    public static string[] Arguments(FakeEdgeHub hub) =>
    [
        .. hub.ModuleArguments,
        "--MedTechEdge:EdgeHub:ReportInterval=00:00:01",
    ];

    /// <summary>Waits until the module reported its status once: connected, subscribed, twin read.</summary>
    public static Task<JsonObject> WaitUntilReportedAsync(FakeEdgeHub hub) =>
        hub.WaitForReportedAsync(r => r["status"] is JsonObject && r["configuration"] is JsonObject, TimeSpan.FromSeconds(30), "a first status");

    public static async Task<(string Topic, string Body)> WaitForOutputAsync(FakeEdgeHub hub, string output)
    {
        string marker = "%24.on=" + output;
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (true)
        {
            foreach ((string topic, string body) in hub.Outputs)
            {
                if (topic.Contains(marker, StringComparison.Ordinal))
                {
                    return (topic, body);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"nothing on output {output}");
            await Task.Delay(100);
        }
    }
}
