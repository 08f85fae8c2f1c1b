using System.Net;
using System.Text.Json;
using MedTechEdge.Hosting;
using MedTechEdge.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MedTechEdge.Tests.Observability;

/// <summary>The real module in process: /metrics parses as Prometheus text and moves with the data; /healthz and /readyz.</summary>
public sealed class MetricsEndpointTests
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Counters_Move_When_Device_Messages_Flow_And_No_Sample_Names_A_Device()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync();
        IReadOnlyList<PrometheusSample> before = await ScrapeAsync(module);
        Assert.Equal(0, Value(before, "medtechedge_incoming_messages_total", ("source", "mqtt")));

        await module.PublishAsync("metrics-dev-1", """{"deviceId":"metrics-dev-1","patientId":"metrics-patient-1","measurementTime":"2026-11-21T10:00:00Z","systolic":121,"diastolic":79}""");
        await module.PublishAsync("metrics-dev-1", """{"deviceId":"metrics-dev-1","patientId":"metrics-patient-1","measurementTime":"2026-11-21T10:00:05Z","temperature":36.9}""");
        await module.PublishAsync("metrics-dev-2", """{"deviceId":"metrics-dev-2","measurementTime":"not a time","temperature":"warm"}""");

        IReadOnlyList<PrometheusSample> after = null!;
        await Eventually.TrueAsync(
            () =>
            {
                after = ScrapeAsync(module).GetAwaiter().GetResult();
                // All three taken from the inbox (the malformed one may come in a later commit and batch), and the
                // two Observations confirmed by the sink.
                return Value(after, "medtechedge_incoming_messages_total", ("source", "mqtt")) == 3
                    && Value(after, "medtechedge_device_to_sink_latency_seconds_count") >= 2
                    && Value(after, "medtechedge_backlog_rows", ("table", "outbox")) == 0;
            },
            TimeSpan.FromSeconds(30),
            "three messages mapped and two Observations confirmed by the sink");

        Assert.Equal(3, Value(after, "medtechedge_incoming_messages_total", ("source", "mqtt")));
        Assert.Equal(3, Value(after, "medtechedge_ingest_committed_total"));
        Assert.Equal(2, Value(after, "medtechedge_normalized_messages_total"));
        Assert.Equal(2, Value(after, "medtechedge_measurements_total"));
        Assert.Equal(2, Value(after, "medtechedge_message_groups_total"));
        // Two Observations, plus the Patient and Device they refer to, through the NDJSON sink.
        Assert.Equal(4, Value(after, "medtechedge_resources_saved_total", ("sink", "ndjson"), ("outcome", "written")));
        Assert.Equal(1, Value(after, "medtechedge_handled_errors_total", ("stage", "map")));
        Assert.Equal(1, Value(after, "medtechedge_dead_letters"));
        Assert.Equal(2, Value(after, "medtechedge_device_to_sink_latency_seconds_count"));
        Assert.True(Value(after, "medtechedge_ingest_to_sink_latency_seconds_count") >= 2);
        Assert.True(Value(after, "medtechedge_mqtt_connections_total") >= 3);
        Assert.Contains(after, s => s.Name == "medtechedge_mqtt_authentication_throttled_total" && s.Value == 0);
        Assert.Equal(1, Value(after, "medtechedge_sink_state", ("state", "connected")));
        Assert.True(Value(after, "medtechedge_store_size_bytes") > 0);
        Assert.Equal(1, Value(after, "medtechedge_ready"));

        // The process's own cost: what a CPU-per-message or memory figure is read from; counters never go back.
        Assert.True(Value(after, "medtechedge_process_cpu_seconds_total") > 0);
        Assert.True(Value(after, "medtechedge_process_resident_memory_bytes") > 1 << 20);
        Assert.True(Value(after, "medtechedge_gc_heap_bytes") > 0);
        Assert.True(Value(after, "medtechedge_jit_compiled_methods_total") > 0);
        Assert.True(Value(after, "medtechedge_jit_compilation_seconds_total") > 0);
        Assert.True(Value(after, "medtechedge_process_cpu_seconds_total") >= Value(before, "medtechedge_process_cpu_seconds_total"));
        Assert.True(Value(after, "medtechedge_jit_compiled_methods_total") >= Value(before, "medtechedge_jit_compiled_methods_total"));

        // IoT Edge's labels on every sample, and nothing that names a device or a patient (cardinality, privacy).
        string instance = after[0].Labels["instance_number"];
        Assert.True(Guid.TryParse(instance, out _));
        foreach (PrometheusSample sample in after)
        {
            Assert.Equal(instance, sample.Labels["instance_number"]);
            Assert.True(sample.Labels.ContainsKey("iothub") && sample.Labels.ContainsKey("edge_device"), sample.Name);
            Assert.DoesNotContain("device_id", sample.Labels.Keys);
            Assert.DoesNotContain(sample.Labels.Values, v => v.Contains("metrics-dev", StringComparison.Ordinal) || v.Contains("metrics-patient", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Healthz_Is_200_And_Readyz_Is_200_Once_The_Module_Is_Up()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync();

        using HttpResponseMessage health = await s_http.GetAsync(Url(module, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using HttpResponseMessage ready = await s_http.GetAsync(Url(module, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal(0, body.RootElement.GetProperty("reasons").GetArrayLength());

        using HttpResponseMessage missing = await s_http.GetAsync(Url(module, "/nothing"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using HttpResponseMessage post = await s_http.PostAsync(Url(module, "/metrics"), new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);

        // The twin's status says the same.
        string status = StatusJson(module);
        using JsonDocument reported = JsonDocument.Parse(status);
        Assert.True(reported.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal(JsonValueKind.Null, reported.RootElement.GetProperty("notReady").ValueKind);
    }

    [Fact]
    public async Task Readyz_Is_503_Before_The_Mqtt_Listener_Is_Up()
    {
        string folder = Path.Combine(Path.GetTempPath(), "medtechedge-readyz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using IHost host = ModuleHost.Build(["--MedTechEdge:Mqtt:Port=0", "--MedTechEdge:Metrics:Port=0", "--MedTechEdge:Store:Path=" + Path.Combine(folder, "store.db"), "--Logging:LogLevel:Default=Warning"]);
        // Only the endpoint starts, as it does first when the host starts: the stages and the listener are not up yet.
        ObservabilityServer server = host.Services.GetRequiredService<ObservabilityServer>();
        await server.StartAsync(CancellationToken.None);
        try
        {
            (HttpStatusCode code, JsonDocument body) = await ReadyAsync($"http://{server.LocalEndPoint}/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
            Assert.False(body.RootElement.GetProperty("ready").GetBoolean());
            Assert.Contains(body.RootElement.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("ingest: the MQTT listener", StringComparison.Ordinal));
            using HttpResponseMessage health = await s_http.GetAsync($"http://{server.LocalEndPoint}/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Readyz_Turns_503_When_A_Mapping_File_Becomes_Invalid_And_200_When_It_Is_Fixed()
    {
        string mappings = Path.Combine(Path.GetTempPath(), "medtechedge-mappings-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mappings);
        string device = Path.Combine(mappings, "devicecontent.json");
        string original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mappings", "devicecontent.json"));
        File.WriteAllText(device, original);
        try
        {
            await using ModuleUnderTest module = await ModuleUnderTest.StartAsync(null, "--MedTechEdge:Mappings:Device=" + device);
            Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(Url(module, "/readyz"))).Code);

            File.WriteAllText(device, """{ "templateType": "CollectionContent", "template": [ """);
            File.SetLastWriteTimeUtc(device, DateTime.UtcNow.AddSeconds(5));
            (HttpStatusCode code, JsonDocument body) = await ReadyAsync(Url(module, "/readyz"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
            string reason = Assert.Single(body.RootElement.GetProperty("reasons").EnumerateArray()).GetString()!;
            Assert.StartsWith("mappings: the device mapping file", reason, StringComparison.Ordinal);
            Assert.Contains(device, reason, StringComparison.Ordinal);
            Assert.Equal(0, Value(await ScrapeAsync(module), "medtechedge_ready"));
            using (JsonDocument reported = JsonDocument.Parse(StatusJson(module)))
            {
                Assert.False(reported.RootElement.GetProperty("ready").GetBoolean());
                Assert.StartsWith("mappings:", reported.RootElement.GetProperty("notReady").GetString(), StringComparison.Ordinal);
            }

            // The module still maps with what it loaded: nothing waits on the file.
            await module.PublishAsync("ready-dev", """{"deviceId":"ready-dev","patientId":"ready-p","measurementTime":"2026-11-21T10:00:00Z","temperature":36.9}""");
            await Eventually.TrueAsync(() => module.Persist.PersistedCount >= 3, TimeSpan.FromSeconds(20), "the Observation delivered");

            File.WriteAllText(device, original);
            File.SetLastWriteTimeUtc(device, DateTime.UtcNow.AddSeconds(10));
            Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(Url(module, "/readyz"))).Code);
        }
        finally
        {
            Directory.Delete(mappings, recursive: true);
        }
    }

    [Fact]
    public async Task Readyz_Is_503_When_The_Store_Is_No_Longer_At_Its_Path()
    {
        await using ModuleUnderTest module = await ModuleUnderTest.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(Url(module, "/readyz"))).Code);

        // The volume went away under the module: its open connections live on, but the store is not where it writes.
        string moved = module.Folder + "-moved";
        Directory.Move(module.Folder, moved);
        try
        {
            (HttpStatusCode code, JsonDocument body) = await ReadyAsync(Url(module, "/readyz"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
            Assert.Contains(body.RootElement.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("store: the store file", StringComparison.Ordinal));
            IReadOnlyList<PrometheusSample> samples = await ScrapeAsync(module);
            Assert.Equal(0, Value(samples, "medtechedge_store_up"));
            Assert.DoesNotContain(samples, s => s.Name == "medtechedge_backlog_rows");
        }
        finally
        {
            Directory.Move(moved, module.Folder);
        }

        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(Url(module, "/readyz"))).Code);
    }

    private static string Url(ModuleUnderTest module, string path) => $"http://{module.MetricsEndPoint}{path}";

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(ModuleUnderTest module)
    {
        using HttpResponseMessage response = await s_http.GetAsync(Url(module, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Code, JsonDocument Body)> ReadyAsync(string url)
    {
        using HttpResponseMessage response = await s_http.GetAsync(url);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static string StatusJson(ModuleUnderTest module)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            module.Services.GetRequiredService<ModuleStatus>().Write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    private static double Value(IReadOnlyList<PrometheusSample> samples, string name, params (string Name, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).Sum(s => s.Value);
}
