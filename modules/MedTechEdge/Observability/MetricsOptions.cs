namespace MedTechEdge.Observability;

/// <summary>
/// The metrics and health endpoints (<c>MedTechEdge:Metrics</c>): <c>/metrics</c> in the Prometheus text format on
/// port 9600, the port IoT Edge's own modules use, and <c>/healthz</c>, <c>/readyz</c>.
/// </summary>
internal sealed class MetricsOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Loopback by default, as the MQTT listener; the container images set 0.0.0.0 so the metrics collector reaches it on the module network.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>9600 as edgeHub and edgeAgent; 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 9600;
}
