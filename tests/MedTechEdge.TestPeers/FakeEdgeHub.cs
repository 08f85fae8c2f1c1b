using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedTechEdge.Mqtt.Client;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.TestPeers;

/// <summary>
/// edgeHub's MQTT head as a module sees it, for tests: a real Mosquitto broker (a TLS listener for the module, with
/// a certificate from a throw-away CA, and a loopback plain listener for this emulator) and an emulator client that
/// plays edgeHub's side of the IoT Hub module protocol on its topics (shared/research/protocols.md C.2, C.3): it
/// answers twin GET and reported PATCH, sends desired patches, invokes direct methods, delivers to module inputs and
/// collects module outputs. Mosquitto logs every CONNECT with its user name, so tests can read what the module sent.
/// </summary>
public sealed class FakeEdgeHub : IAsyncDisposable
{
    private readonly string _deviceId;
    // The FHIR resources among the outputs, kept apart from Outputs, which tests may drain.
    private readonly ConcurrentQueue<string> _fhirOutputs = new();
    private readonly string _moduleId;
    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(int, string)>> _methodCalls = new(StringComparer.Ordinal);
    private readonly object _twinLock = new();
    private Process? _broker;
    private MqttClient? _emulator;
    private Task _emulatorLoop = Task.CompletedTask;
    private JsonObject _desired;
    private readonly JsonObject _reported = [];
    private long _desiredVersion = 1;
    private long _reportedVersion = 1;
    private int _methodCounter;

    private FakeEdgeHub(string deviceId, string moduleId, JsonObject desired, TestCertificates pki)
    {
        _deviceId = deviceId;
        _moduleId = moduleId;
        _desired = desired;
        Pki = pki;
        _directory = System.IO.Directory.CreateTempSubdirectory("fake-edgehub-").FullName;
        Port = MosquittoPorts.GetFree();
        TlsPort = MosquittoPorts.GetFree();
    }

    /// <summary>The throw-away PKI; <see cref="TestCertificates.CaFile"/> is what the module must trust.</summary>
    public TestCertificates Pki { get; }

    /// <summary>The plain loopback listener (emulator and test publishers).</summary>
    public int Port { get; }

    /// <summary>The TLS listener, edgeHub's 8883.</summary>
    public int TlsPort { get; }

    /// <summary>Messages the module sent on its outputs: topic (with the property bag) and body.</summary>
    public ConcurrentQueue<(string Topic, string Body)> Outputs { get; } = new();

    /// <summary>Twin GET requests answered.</summary>
    public int TwinReads;

    /// <summary>Mosquitto's log so far (connections with client id and user name).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The reported properties as the module wrote them (merged patches).</summary>
    public JsonObject Reported
    {
        get
        {
            lock (_twinLock)
            {
                return (JsonObject)_reported.DeepClone();
            }
        }
    }

    /// <summary>Starts the broker and the emulator with <paramref name="desired"/> as the module's desired properties.</summary>
    public static async Task<FakeEdgeHub> StartAsync(string deviceId, string moduleId, JsonObject? desired = null)
    {
        var hub = new FakeEdgeHub(deviceId, moduleId, desired ?? [], TestCertificates.Create());
        await hub.StartBrokerAsync();
        await hub.StartEmulatorAsync();
        return hub;
    }

    /// <summary>A connection string of the simulator's form for the module, pointing at 127.0.0.1.</summary>
    public string ConnectionString =>
        $"HostName=hub.azure-devices.net;GatewayHostName=127.0.0.1;DeviceId={_deviceId};ModuleId={_moduleId};SharedAccessKey=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    /// <summary>Module settings that point it at this hub over TLS, trusting the test CA.</summary>
    public string[] ModuleArguments =>
    [
        "--MedTechEdge:EdgeHub:ConnectionString=" + ConnectionString,
        "--MedTechEdge:EdgeHub:Port=" + TlsPort.ToString(CultureInfo.InvariantCulture),
        "--MedTechEdge:EdgeHub:CaFile=" + Pki.CaFile,
    ];

    /// <summary>Changes desired properties as IoT Hub does: merges the patch, bumps the version, notifies the module.</summary>
    public async Task PatchDesiredAsync(JsonObject patch)
    {
        long version;
        lock (_twinLock)
        {
            Merge(_desired, patch);
            version = ++_desiredVersion;
        }

        var notification = (JsonObject)patch.DeepClone();
        notification["$version"] = version;
        await Emulator.PublishAsync($"$iothub/twin/PATCH/properties/desired/?$version={version}", Encoding.UTF8.GetBytes(notification.ToJsonString()), MqttQualityOfServiceLevel.AtMostOnce);
    }

    /// <summary>Sends a desired-properties notification as it is given, without changing the twin: a late or repeated one.</summary>
    public Task SendDesiredNotificationAsync(JsonObject patch, long version)
    {
        var notification = (JsonObject)patch.DeepClone();
        notification["$version"] = version;
        return Emulator.PublishAsync($"$iothub/twin/PATCH/properties/desired/?$version={version}", Encoding.UTF8.GetBytes(notification.ToJsonString()), MqttQualityOfServiceLevel.AtMostOnce);
    }

    /// <summary>Replaces desired properties without telling the module (as if changed while it was away).</summary>
    public void SetDesiredSilently(JsonObject desired)
    {
        lock (_twinLock)
        {
            _desired = desired;
            _desiredVersion++;
        }
    }

    /// <summary>Invokes a direct method; returns the module's status and JSON body.</summary>
    public async Task<(int Status, JsonDocument Body)> InvokeMethodAsync(string method, string payloadJson, TimeSpan timeout)
    {
        string rid = Interlocked.Increment(ref _methodCounter).ToString("x", CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<(int, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _methodCalls[rid] = answer;
        await Emulator.PublishAsync($"$iothub/methods/POST/{method}/?$rid={rid}", Encoding.UTF8.GetBytes(payloadJson), MqttQualityOfServiceLevel.AtMostOnce);
        (int status, string body) = await answer.Task.WaitAsync(timeout);
        return (status, JsonDocument.Parse(body));
    }

    /// <summary>Delivers a message on one of the module's inputs with the property bag edgeHub writes.</summary>
    public async Task SendToInputAsync(string input, string json, string bag)
    {
        MqttPublishResult result = await Emulator.PublishAsync($"devices/{_deviceId}/modules/{_moduleId}/inputs/{input}/{bag}", Encoding.UTF8.GetBytes(json));
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("The broker refused the input message: " + result.ReasonCode);
        }
    }

    /// <summary>Waits until the reported properties satisfy <paramref name="condition"/>.</summary>
    public async Task<JsonObject> WaitForReportedAsync(Func<JsonObject, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonObject reported = Reported;
            if (condition(reported))
            {
                return reported;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Reported properties never showed {what}; last: {reported.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops the broker, as an edgeHub restart does (sessions are lost: persistence is off).</summary>
    public async Task StopBrokerAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
            _emulator = null;
        }

        if (_broker is { HasExited: false } broker)
        {
            broker.Kill(entireProcessTree: true);
            await broker.WaitForExitAsync();
        }
    }

    /// <summary>Starts the broker again on the same ports.</summary>
    public async Task StartAgainAsync()
    {
        await StartBrokerAsync();
        await StartEmulatorAsync();
    }

    /// <summary>Stops the broker, then has Firely check every FHIR resource the module sent to an output.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">Firely rejects one of them.</exception>
    public async ValueTask DisposeAsync()
    {
        await StopBrokerAsync();
        _broker?.Dispose();
        Pki.Dispose();
        System.IO.Directory.Delete(_directory, recursive: true);
        FhirResourceAssert.AllValid(_fhirOutputs, "that the module sent to edgeHub outputs");
    }

    private MqttClient Emulator => _emulator ?? throw new InvalidOperationException("The broker is stopped.");

    private async Task StartBrokerAsync()
    {
        string config = Path.Combine(_directory, "mosquitto.conf");
        // 'connection_messages' logs each CONNECT with client id and user name, which tests read.
        await File.WriteAllTextAsync(config, $"""
            per_listener_settings false
            allow_anonymous true
            persistence false
            user root
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            connection_messages true
            listener {Port} 127.0.0.1
            listener {TlsPort} 127.0.0.1
            cafile {Pki.CaFile}
            certfile {Pki.ServerCertificateFile}
            keyfile {Pki.ServerKeyFile}
            """);
        var start = new ProcessStartInfo(MosquittoFixture.BrokerPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        _broker?.Dispose();
        _broker = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start.");
        _broker.ErrorDataReceived += (_, e) => Append(e.Data);
        _broker.OutputDataReceived += (_, e) => Append(e.Data);
        _broker.BeginErrorReadLine();
        _broker.BeginOutputReadLine();
        await MosquittoPorts.WaitUntilListeningAsync("127.0.0.1", Port, _broker, TimeSpan.FromSeconds(10));
        await MosquittoPorts.WaitUntilListeningAsync("127.0.0.1", TlsPort, _broker, TimeSpan.FromSeconds(10));
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task StartEmulatorAsync()
    {
        var client = new MqttClient();
        MqttConnectResult connected = await client.ConnectAsync(new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = Port,
            ClientId = "edgehub-emulator",
            ProtocolVersion = MqttProtocolVersion.V311,
            CleanStart = true,
            Timeout = TimeSpan.FromSeconds(10),
        }, CancellationToken.None);
        if (!connected.IsSuccess)
        {
            throw new InvalidOperationException("The emulator could not connect: " + connected.ReasonCode);
        }

        foreach (string filter in new[] { "$iothub/twin/GET/#", "$iothub/twin/PATCH/properties/reported/#", "$iothub/methods/res/#", $"devices/{_deviceId}/modules/{_moduleId}/messages/events/#" })
        {
            await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        _emulator = client;
        _emulatorLoop = Task.Run(() => ServeAsync(client));
    }

    private async Task ServeAsync(MqttClient client)
    {
        try
        {
            await foreach (MqttApplicationMessage message in client.ReceivedMessages.ReadAllAsync())
            {
                await AnswerAsync(client, message);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // Stopped.
        }
    }

    private async Task AnswerAsync(MqttClient client, MqttApplicationMessage message)
    {
        string topic = message.Topic;
        string body = Encoding.UTF8.GetString(message.Payload.Span);
        if (topic.StartsWith("$iothub/twin/GET/", StringComparison.Ordinal))
        {
            string answer;
            lock (_twinLock)
            {
                var desired = (JsonObject)_desired.DeepClone();
                desired["$version"] = _desiredVersion;
                var reported = (JsonObject)_reported.DeepClone();
                reported["$version"] = _reportedVersion;
                answer = new JsonObject { ["desired"] = desired, ["reported"] = reported }.ToJsonString();
            }

            Interlocked.Increment(ref TwinReads);
            await client.PublishAsync($"$iothub/twin/res/200/?$rid={RequestId(topic)}", Encoding.UTF8.GetBytes(answer), MqttQualityOfServiceLevel.AtMostOnce);
        }
        else if (topic.StartsWith("$iothub/twin/PATCH/properties/reported/", StringComparison.Ordinal))
        {
            long version;
            lock (_twinLock)
            {
                Merge(_reported, JsonNode.Parse(body)!.AsObject());
                version = ++_reportedVersion;
            }

            await client.PublishAsync($"$iothub/twin/res/204/?$rid={RequestId(topic)}&$version={version}", ReadOnlyMemory<byte>.Empty, MqttQualityOfServiceLevel.AtMostOnce);
        }
        else if (topic.StartsWith("$iothub/methods/res/", StringComparison.Ordinal))
        {
            string rest = topic["$iothub/methods/res/".Length..];
            int status = int.Parse(rest[..rest.IndexOf('/', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            if (_methodCalls.TryRemove(RequestId(topic), out TaskCompletionSource<(int, string)>? call))
            {
                call.TrySetResult((status, body));
            }
        }
        else
        {
            Outputs.Enqueue((topic, body));
            // A FHIR resource on an output (the observations output) is one the module wrote: Firely checks it at disposal.
            if (IsFhirResource(body))
            {
                _fhirOutputs.Enqueue(body);
            }
        }
    }

    private static bool IsFhirResource(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("resourceType", out JsonElement type)
                && type.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string RequestId(string topic)
    {
        int at = topic.IndexOf("$rid=", StringComparison.Ordinal);
        string rest = topic[(at + 5)..];
        int end = rest.IndexOf('&', StringComparison.Ordinal);
        return end < 0 ? rest : rest[..end];
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (KeyValuePair<string, JsonNode?> property in patch)
        {
            if (property.Value is null)
            {
                target.Remove(property.Key);
            }
            else if (property.Value is JsonObject inner && target[property.Key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[property.Key] = property.Value.DeepClone();
            }
        }
    }
}
