using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedTechEdge.TestPeers;

namespace MedTechEdge.Tests.IotEdge;

/// <summary>
/// The oracle for the edgeHub stand-in: Microsoft's own Node SDK (<c>azure-iot-device</c> 1.18.4 with
/// <c>azure-iot-device-mqtt</c> 1.16.4, tests/peers/iot-sdk) runs as a module client against it. Every flow the module
/// uses works for the SDK too (twin GET and reported PATCH, desired patches, a direct method, input messages with
/// their property bag, output messages), so the stand-in speaks edgeHub's protocol as the SDK expects it; and the
/// SDK's output topic has the same form as the module's (<c>ModuleMessageTopic.Output</c>).
/// </summary>
public sealed class Node_Sdk_Oracle_Tests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task The_Official_Node_Sdk_Works_Against_The_Stand_In_Like_Against_edgeHub()
    {
        await using FakeEdgeHub hub = await FakeEdgeHub.StartAsync("gw-1", "sdk", new JsonObject { ["interval"] = 5 });
        await using NodeModuleClient sdk = NodeModuleClient.Start(hub);

        // Connected, read the twin from the stand-in's GET answer, and wrote reported properties (204 with a version).
        JsonObject twin = await sdk.WaitForAsync("twin", s_timeout);
        Assert.Equal(5, (int)twin["desired"]!["interval"]!);
        await sdk.WaitForAsync("reported", s_timeout);
        await hub.WaitForReportedAsync(r => (string?)r["sdk"] == "node", s_timeout, "the SDK's reported properties");

        // A desired patch reaches the SDK's handler (which first hands over the whole desired set it read).
        await hub.PatchDesiredAsync(new JsonObject { ["interval"] = 7 });
        JsonObject desired = await sdk.WaitForAsync("desired", s_timeout, e => (int?)e["delta"]?["interval"] == 7);
        Assert.Equal(2L, (long?)desired["delta"]!["$version"]);

        // A direct method is answered on the status topic with the request id echoed.
        (int status, JsonDocument answer) = await hub.InvokeMethodAsync("echo", """{"hard":true}""", s_timeout);
        Assert.Equal(200, status);
        Assert.True(answer.RootElement.GetProperty("echo").GetProperty("hard").GetBoolean());

        // An input message with edgeHub's property bag: the SDK reads input name, system and application properties.
        await hub.SendToInputAsync("devicedata", """{"heartRate":61}""", "%24.mid=m-123&%24.cid=c-9&%24.ct=application%2Fjson&%24.ce=utf-8&%24.cdid=bed-9&ward=4B");
        JsonObject input = await sdk.WaitForAsync("input", s_timeout);
        Assert.Equal("devicedata", (string?)input["inputName"]);
        Assert.Equal("""{"heartRate":61}""", (string?)input["body"]);
        Assert.Equal("m-123", (string?)input["messageId"]);
        Assert.Equal("c-9", (string?)input["correlationId"]);
        Assert.Equal("4B", (string?)input["properties"]!["ward"]);

        // An output message: the SDK's topic has the form the module's own client writes.
        await sdk.SendAsync("normalized", """{"type":"heartrate"}""", new Dictionary<string, string> { ["kind"] = "Measurement" });
        await sdk.WaitForAsync("sent", s_timeout);
        (string topic, string body) = await EdgeHubRig.WaitForOutputAsync(hub, "normalized");
        Assert.Equal("""{"type":"heartrate"}""", body);
        Assert.StartsWith("devices/gw-1/modules/sdk/messages/events/", topic, StringComparison.Ordinal);
        Assert.EndsWith("/", topic, StringComparison.Ordinal);
        Assert.Equal(
            Bag(MedTechEdge.IotEdge.ModuleMessageTopic.Output("gw-1", "sdk", "normalized", new Dictionary<string, string> { ["kind"] = "Measurement" })),
            Bag(topic).Where(p => p.Key is not "$.mid").ToDictionary());
        Assert.Contains("u'hub.azure-devices.net/gw-1/sdk/?api-version=", hub.Log, StringComparison.Ordinal);
        Assert.Empty(sdk.Errors);
    }

    /// <summary>The property bag of an output topic, decoded.</summary>
    private static Dictionary<string, string> Bag(string topic)
    {
        string bag = topic["devices/gw-1/modules/sdk/messages/events/".Length..].TrimEnd('/');
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in bag.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            pairs[Uri.UnescapeDataString(pair[..equals])] = Uri.UnescapeDataString(pair[(equals + 1)..]);
        }

        return pairs;
    }

    /// <summary>tests/peers/iot-sdk/module-client.js as a process: events as JSON lines on stdout, commands on stdin.</summary>
    private sealed class NodeModuleClient : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<JsonObject> _events = [];
        private readonly StringBuilder _stderr = new();

        private NodeModuleClient(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line && JsonNode.Parse(line) is JsonObject item)
                {
                    lock (_events)
                    {
                        _events.Add(item);
                    }
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public IReadOnlyList<JsonObject> Errors
        {
            get
            {
                lock (_events)
                {
                    return _events.Where(e => (string?)e["event"] == "error").ToList();
                }
            }
        }

        public static NodeModuleClient Start(FakeEdgeHub hub)
        {
            string folder = Path.Combine(RepositoryRoot(), "tests", "peers", "iot-sdk");
            Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "azure-iot-device")), "run `npm ci` in tests/peers/iot-sdk (./test.sh does)");
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("module-client.js");
            // As iotedgehubdev sets them for a module; the gateway carries the stand-in's TLS port.
            start.Environment["EdgeHubConnectionString"] = hub.ConnectionString.Replace("GatewayHostName=127.0.0.1", "GatewayHostName=127.0.0.1:" + hub.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            start.Environment["EdgeModuleCACertificateFile"] = hub.Pki.CaFile;
            return new NodeModuleClient(Process.Start(start)!);
        }

        public async Task<JsonObject> WaitForAsync(string name, TimeSpan timeout, Func<JsonObject, bool>? condition = null)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                lock (_events)
                {
                    foreach (JsonObject item in _events)
                    {
                        if ((string?)item["event"] == name && (condition is null || condition(item)))
                        {
                            return item;
                        }
                    }
                }

                if (clock.Elapsed > timeout || _process.HasExited)
                {
                    string events;
                    lock (_events)
                    {
                        events = string.Join('\n', _events.Select(e => e.ToJsonString()));
                    }

                    string stderr;
                    lock (_stderr)
                    {
                        stderr = _stderr.ToString();
                    }

                    Assert.Fail($"The SDK never reported '{name}'. Events:\n{events}\nstderr:\n{stderr}");
                }

                await Task.Delay(50);
            }
        }

        public async Task SendAsync(string output, string body, Dictionary<string, string> properties)
        {
            string command = JsonSerializer.Serialize(new { send = output, body, properties });
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MedTechEdge.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Cannot find the repository root.");
        }
    }
}
