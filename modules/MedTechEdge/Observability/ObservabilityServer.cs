using System.Net;
using System.Text;
using System.Text.Json;
using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using MedTechEdge.LocalHttp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Observability;

/// <summary>
/// The module's own small HTTP server (<see cref="LocalHttpServer"/>) for <c>/metrics</c>, <c>/healthz</c> and
/// <c>/readyz</c>, owned by this hosted service: the module stays one Generic Host, and three GET routes need no web stack.
/// Registered first, so it starts before the stages (and <c>/readyz</c> says what is not up yet) and stops last.
/// </summary>
internal sealed partial class ObservabilityServer : IHostedService, IAsyncDisposable
{
    private readonly MetricsOptions _options;
    private readonly ModuleMetrics _metrics;
    private readonly ModuleReadiness _readiness;
    private readonly TimeProvider _time;
    private readonly ILogger<ObservabilityServer> _logger;
    private readonly IPAddress _address;
    private LocalHttpServer? _server;

    public ObservabilityServer(MedTechEdgeOptions options, ModuleMetrics metrics, ModuleReadiness readiness, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Metrics;
        if (!IPAddress.TryParse(_options.BindAddress, out IPAddress? address))
        {
            throw new ModuleStartupException($"MedTechEdge:Metrics:BindAddress '{_options.BindAddress}' is not an IP address.");
        }

        _address = address;
        _metrics = metrics;
        _readiness = readiness;
        _time = time;
        _logger = loggers.CreateLogger<ObservabilityServer>();
    }

    /// <summary>Where the endpoints answer; known once started (port 0 picks a free one), null when disabled.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Task.CompletedTask;
        }

        // A scraper and a probe or two: a few connections.
        (LocalHttpServer? server, string? failure) = LocalHttpServer.TryStart(new IPEndPoint(_address, _options.Port), new LocalHttpLimits { MaxConnections = 32 }, Handle, _time, _logger);
        if (server is null)
        {
            // The endpoints watch the data; they must not stop it: the module runs on without them, and the warning
            // reaches the twin's lastError.
            LogCannotListen($"{_address}:{_options.Port}", failure ?? "unknown");
            return Task.CompletedTask;
        }

        _server = server;
        LocalEndPoint = server.LocalEndPoint;
        LogListening("http://" + server.LocalEndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    private void Handle(LocalHttpRequest request, LocalHttpResponse response)
    {
        if (!request.IsGetOrHead)
        {
            response.Status = 405;
            response.SetHeader("Allow", "GET, HEAD");
            return;
        }

        switch (request.Path)
        {
            case "/metrics":
                Answer(response, 200, PrometheusTextWriter.ContentType, Encoding.UTF8.GetBytes(_metrics.Scrape()));
                break;
            case "/healthz":
                // The process runs and answers HTTP: that is all liveness claims; a stuck stage shows in /readyz and the metrics.
                Answer(response, 200, "application/json", "{\"alive\":true}"u8.ToArray());
                break;
            case "/readyz":
                IReadOnlyList<string> reasons = _readiness.Check();
                Answer(response, reasons.Count == 0 ? 200 : 503, "application/json", ReadinessJson(reasons));
                break;
            default:
                response.Status = 404;
                break;
        }
    }

    /// <summary><c>{"ready":true,"reasons":[]}</c>, or false with what is not ready.</summary>
    internal static byte[] ReadinessJson(IReadOnlyList<string> reasons)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ready", reasons.Count == 0);
            json.WriteStartArray("reasons");
            foreach (string reason in reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Answer(LocalHttpResponse response, int status, string contentType, byte[] content)
    {
        response.Answer(status, contentType, content);
        response.SetHeader("Cache-Control", "no-store");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The metrics and health endpoints cannot listen on {EndPoint}: {Reason} The module runs without them; set MedTechEdge:Metrics:Port.")]
    private partial void LogCannotListen(string endPoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics on {Address}/metrics; health on /healthz and /readyz.")]
    private partial void LogListening(string address);
}
