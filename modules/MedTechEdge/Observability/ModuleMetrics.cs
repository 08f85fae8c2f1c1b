using System.Collections;
using MedTechEdge.Ingress;
using MedTechEdge.IotEdge;
using MedTechEdge.Pipeline;
using MedTechEdge.Pipeline.Sinks;
using MedTechEdge.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.Observability;

/// <summary>
/// Composes one scrape of <c>/metrics</c> from the counters the stages keep (<see cref="PipelineMetrics"/>, the
/// broker's <c>MqttServerStatistics</c>, the inbox writer's) and the store's gauges, read now. Names follow IoT Edge's
/// built-in metrics (prefix, snake_case, <c>_total</c>, <c>_seconds</c>, <c>_bytes</c>) and carry its labels
/// <c>iothub</c>, <c>edge_device</c> and <c>instance_number</c>; no label names a device (cardinality). The list, with
/// what each means, is in docs/operations.md, "Metrics".
/// </summary>
internal sealed class ModuleMetrics(IServiceProvider services, PipelineMetrics pipeline, StoreProbe store, ModuleReadiness readiness, TimeProvider clock)
{
    private const string Prefix = "medtechedge_";

    // One per host, as IoT Edge's modules have one per start: the counters start from zero with every host (an
    // in-process restart for a twin change too), and a new instance tells that reset from a slow scrape.
    private readonly (string Name, string Value)[] _labels = EdgeLabels(services.GetService<IotEdgeSettings>(), Environment.GetEnvironmentVariables(), Guid.NewGuid().ToString());

    /// <summary>Renders the metrics now.</summary>
    public string Scrape()
    {
        DateTime now = clock.GetUtcNow().UtcDateTime;
        var w = new PrometheusTextWriter(_labels);
        WritePipeline(w);
        WriteSink(w, now);
        WriteIngest(w);
        WriteStore(w, now);
        ProcessMetricsWriter.Write(w, Prefix);
        w.Family(Prefix + "ready", "gauge", "1 when /readyz answers 200 (store answers, ingest listens, mappings load), else 0.");
        w.Sample(Prefix + "ready", [], readiness.Check().Count == 0 ? 1 : 0);
        return w.ToString();
    }

    /// <summary>The IoT Edge labels: the hub and edge device from the runtime's environment or the edgeHub connection string; empty outside IoT Edge.</summary>
    internal static (string Name, string Value)[] EdgeLabels(IotEdgeSettings? identity, IDictionary environment, string instance) =>
    [
        ("iothub", identity?.IotHubHostName ?? environment["IOTEDGE_IOTHUBHOSTNAME"] as string ?? string.Empty),
        ("edge_device", identity?.DeviceId ?? environment["IOTEDGE_DEVICEID"] as string ?? string.Empty),
        ("instance_number", instance),
    ];

    private void WritePipeline(PrometheusTextWriter w)
    {
        Counter(w, "incoming_messages_total", "Device messages taken from the inbox into the pipeline (normalized or dead-lettered), by the ingress that received them.");
        w.Sample(Prefix + "incoming_messages_total", [("source", MedTechEdge.Storage.MessageSources.Mqtt)], pipeline.IncomingMqtt);
        w.Sample(Prefix + "incoming_messages_total", [("source", MedTechEdge.Storage.MessageSources.EdgeHub)], pipeline.IncomingEdgeHub);
        w.Sample(Prefix + "incoming_messages_total", [("source", MedTechEdge.Storage.MessageSources.EventHub)], pipeline.IncomingEventHub);
        w.Sample(Prefix + "incoming_messages_total", [("source", MedTechEdge.Storage.MessageSources.Replay)], pipeline.IncomingReplay);
        if (pipeline.IncomingOther > 0)
        {
            w.Sample(Prefix + "incoming_messages_total", [("source", "other")], pipeline.IncomingOther);
        }

        Counter(w, "normalized_messages_total", "Device messages the device mapping normalized.", pipeline.Normalized);
        Counter(w, "unmatched_messages_total", "Device messages that matched no template of the device mapping: no error in MedTech, so counted (Pipeline:DeadLetterUnmatched keeps them as dead letters instead).", pipeline.UnmatchedMessages);
        Counter(w, "measurements_total", "Measurements the device mapping produced.", pipeline.Measurements);
        Counter(w, "message_groups_total", "Groups of measurements (device, type, patient, encounter, correlation id, period), each becoming one Observation.", pipeline.Groups);
        Counter(w, "handled_errors_total", "Device messages and resources moved to dead letters, by stage and error kind.");
        foreach (KeyValuePair<(string Stage, string Kind), long> error in pipeline.Errors)
        {
            w.Sample(Prefix + "handled_errors_total", [("stage", error.Key.Stage), ("error_kind", error.Key.Kind)], error.Value);
        }

        Counter(w, "identity_lookup_retries_total", "Identity lookups on the FHIR server that failed transiently; the batch waits in the inbox.", pipeline.IdentityRetries);
        Counter(w, "map_burst_deferrals_total", "Times the Map stage waited instead of mapping while a burst of acknowledgements waited on the inbox commit (Pipeline:BurstDeferral).", pipeline.BurstDeferrals);
        Histogram(w, "device_to_sink_latency_seconds", "Seconds from a resource's device time (Observation effective end, measurement occurrence) to the sink's confirmation.", pipeline.DeviceToSinkLatency);
        Histogram(w, "ingest_to_sink_latency_seconds", "Seconds from the module's receipt of the device message to the sink's confirmation.", pipeline.IngestToSinkLatency);
    }

    private void WriteSink(PrometheusTextWriter w, DateTime now)
    {
        string sink = services.GetService<IResourceSink>()?.Name ?? string.Empty;
        Counter(w, "resources_saved_total", "Resources the sink confirmed: created (201), updated (200) or noop (nothing new, not sent) on a FHIR server; written by the other sinks.");
        w.Sample(Prefix + "resources_saved_total", [("sink", sink), ("outcome", "created")], pipeline.Created);
        w.Sample(Prefix + "resources_saved_total", [("sink", sink), ("outcome", "updated")], pipeline.Updated);
        w.Sample(Prefix + "resources_saved_total", [("sink", sink), ("outcome", "noop")], pipeline.Unchanged);
        w.Sample(Prefix + "resources_saved_total", [("sink", sink), ("outcome", "written")], pipeline.Written);
        Counter(w, "sink_writes_total", "Batches the sink accepted.");
        w.Sample(Prefix + "sink_writes_total", [("sink", sink)], pipeline.SinkWrites);
        Counter(w, "sink_retries_total", "Batch writes that failed transiently (outage, timeout, 429, 5xx) and are sent again after a backoff.");
        w.Sample(Prefix + "sink_retries_total", [("sink", sink)], pipeline.SinkRetries);
        Counter(w, "sink_rejections_total", "Writes the sink refused for good; their records are isolated and the refused ones dead-lettered.");
        w.Sample(Prefix + "sink_rejections_total", [("sink", sink)], pipeline.SinkRejections);
        SinkState state = pipeline.GetSinkState(now);
        w.Family(Prefix + "sink_state", "gauge", "1 for the sink's current state: connected (answering), retrying (failing for under a minute), failing (a minute or more).");
        w.Sample(Prefix + "sink_state", [("sink", sink), ("state", "connected")], state == SinkState.Connected ? 1 : 0);
        w.Sample(Prefix + "sink_state", [("sink", sink), ("state", "retrying")], state == SinkState.Retrying ? 1 : 0);
        w.Sample(Prefix + "sink_state", [("sink", sink), ("state", "failing")], state == SinkState.Failing ? 1 : 0);
    }

    private void WriteIngest(PrometheusTextWriter w)
    {
        if (services.GetService<InboxWriter>() is { } inbox)
        {
            Counter(w, "ingest_committed_total", "Device messages written to the inbox and acknowledged to their sender, from every ingress.", inbox.CommittedCount);
            Counter(w, "ingest_refused_total", "Device messages refused because the store was at Store:MaxSizeBytes (not acknowledged; the sender retries).", inbox.RejectedCount);
        }

        if (services.GetService<MqttListenerService>() is { } listener)
        {
            Mqtt.Server.MqttServerStatistics mqtt = listener.Statistics;
            w.Family(Prefix + "mqtt_connected_clients", "gauge", "MQTT clients connected to the module's listener now.");
            w.Sample(Prefix + "mqtt_connected_clients", [], mqtt.ConnectedClients);
            Counter(w, "mqtt_connections_total", "TCP connections the MQTT listener accepted.", mqtt.ConnectionsAccepted);
            Counter(w, "mqtt_authentication_failures_total", "MQTT CONNECTs refused for bad credentials, or anonymous ones when anonymous access is off.", mqtt.AuthenticationFailures);

            // Not in the failures above: a backed-off address is refused without a password check, so during a flood
            // the failures counter stops rising and only this one shows the flood goes on.
            Counter(w, "mqtt_authentication_throttled_total", "MQTT CONNECTs refused as Server busy without a password check: source backed off after failures, or verification queue full.", mqtt.AuthenticationThrottled);
            Counter(w, "mqtt_authorization_failures_total", "MQTT publishes, wills and subscriptions refused by the device topic policy, and CONNECTs refused for a client id that belongs to another identity.", mqtt.AuthorizationFailures);
            Counter(w, "mqtt_tls_handshake_failures_total", "Connections to the MQTT TLS listener whose handshake failed.", mqtt.TlsHandshakeFailures);
            Counter(w, "mqtt_protocol_errors_total", "MQTT connections closed for a malformed packet or a protocol error.", mqtt.ProtocolErrors);
        }

        if (services.GetService<EventHubIngressService>() is { } eventHub)
        {
            EventHubIngressMetricsWriter.Write(w, Prefix, eventHub.Metrics);
        }

        if (services.GetService<EdgeHubService>() is { } edgeHub)
        {
            w.Family(Prefix + "edgehub_connected", "gauge", "1 while the module's connection to edgeHub is up.");
            w.Sample(Prefix + "edgehub_connected", [], edgeHub.Client.IsConnected ? 1 : 0);
        }
    }

    private void WriteStore(PrometheusTextWriter w, DateTime now)
    {
        bool read = store.TryRead(out StoreBacklog backlog, out long usedBytes, out _);
        w.Family(Prefix + "store_up", "gauge", "1 when the store answered this scrape; the store gauges below are left out when it did not.");
        w.Sample(Prefix + "store_up", [], read ? 1 : 0);
        if (!read)
        {
            return;
        }

        w.Family(Prefix + "store_size_bytes", "gauge", "Bytes the store's data occupies (pages in use; the file does not shrink).");
        w.Sample(Prefix + "store_size_bytes", [], usedBytes);
        w.Family(Prefix + "backlog_rows", "gauge", "Rows waiting per stage: inbox (for Map), outbox (for Persist), open_window (SampledData collecting).");
        w.Sample(Prefix + "backlog_rows", [("table", "inbox")], backlog.Inbox);
        w.Sample(Prefix + "backlog_rows", [("table", "outbox")], backlog.Outbox);
        w.Sample(Prefix + "backlog_rows", [("table", "open_window")], backlog.OpenWindows);
        w.Family(Prefix + "dead_letters", "gauge", "Dead letters in the store, waiting for an operator (deadletters list).");
        w.Sample(Prefix + "dead_letters", [], backlog.DeadLetters);
        DateTime? oldest = Min(backlog.OldestInboxUtc, backlog.OldestOutboxUtc);
        w.Family(Prefix + "oldest_undelivered_age_seconds", "gauge", "Age of the oldest undelivered row: an inbox message since receipt, an outbox resource since mapping; 0 when nothing waits.");
        w.Sample(Prefix + "oldest_undelivered_age_seconds", [], oldest is { } time ? Math.Max(0, (now - time).TotalSeconds) : 0.0);
    }

    private static DateTime? Min(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static void Counter(PrometheusTextWriter w, string name, string help) => w.Family(Prefix + name, "counter", help);

    private static void Counter(PrometheusTextWriter w, string name, string help, long value)
    {
        w.Family(Prefix + name, "counter", help);
        w.Sample(Prefix + name, [], value);
    }

    private static void Histogram(PrometheusTextWriter w, string name, string help, LatencyHistogram histogram)
    {
        Span<long> counts = stackalloc long[LatencyHistogram.Bounds.Length + 1];
        double sum = histogram.Read(counts);
        w.Histogram(Prefix + name, help, LatencyHistogram.Bounds, counts, sum);
    }
}
