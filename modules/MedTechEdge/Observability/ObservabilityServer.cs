using System.Net;
using System.Text;
using System.Text.Json;
using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Observability;

/// <summary>
/// A minimal Kestrel server for <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>, owned by this hosted service
/// rather than a web host: the module stays a Generic Host, and three GET routes need no routing or middleware.
/// Registered first, so it starts before the stages (and <c>/readyz</c> says what is not up yet) and stops last.
/// </summary>
internal sealed partial class ObservabilityServer : IHostedService, IAsyncDisposable
{
    private readonly MetricsOptions _options;
    private readonly ModuleMetrics _metrics;
    private readonly ModuleReadiness _readiness;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<ObservabilityServer> _logger;
    private readonly IPAddress _address;
    private LocalHttpServer? _server;

    public ObservabilityServer(MedTechEdgeOptions options, ModuleMetrics metrics, ModuleReadiness readiness, IServiceProvider services, ILoggerFactory loggers)
    {
        _options = options.Metrics;
        if (!IPAddress.TryParse(_options.BindAddress, out IPAddress? address))
        {
            throw new ModuleStartupException($"MedTechEdge:Metrics:BindAddress '{_options.BindAddress}' is not an IP address.");
        }

        _address = address;
        _metrics = metrics;
        _readiness = readiness;
        _services = services;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ObservabilityServer>();
    }

    /// <summary>Where the endpoints answer; known once started (port 0 picks a free one), null when disabled.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        // A scraper and a probe or two: a few connections.
        (LocalHttpServer? server, string? failure) = await LocalHttpServer.TryStartAsync(new IPEndPoint(_address, _options.Port), 32, HandleAsync, _services, _loggers, cancellationToken).ConfigureAwait(false);
        if (server is null)
        {
            // The endpoints watch the data; they must not stop it: the module runs on without them, and the warning
            // reaches the twin's lastError.
            LogCannotListen($"{_address}:{_options.Port}", failure ?? "unknown");
            return;
        }

        _server = server;
        LocalEndPoint = server.LocalEndPoint;
        LogListening("http://" + server.LocalEndPoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        return ValueTask.CompletedTask;
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        switch (request.Path.Value)
        {
            case "/metrics":
                await WriteAsync(response, StatusCodes.Status200OK, PrometheusTextWriter.ContentType, Encoding.UTF8.GetBytes(_metrics.Scrape())).ConfigureAwait(false);
                break;
            case "/healthz":
                // The process runs and answers HTTP: that is all liveness claims; a stuck stage shows in /readyz and the metrics.
                await WriteAsync(response, StatusCodes.Status200OK, "application/json", "{\"alive\":true}"u8.ToArray()).ConfigureAwait(false);
                break;
            case "/readyz":
                IReadOnlyList<string> reasons = _readiness.Check();
                await WriteAsync(response, reasons.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, "application/json", ReadinessJson(reasons)).ConfigureAwait(false);
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
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

    private static Task WriteAsync(HttpResponse response, int status, string contentType, byte[] body)
    {
        response.Headers.CacheControl = "no-store";
        return LocalHttpServer.WriteAsync(response.HttpContext, status, contentType, body);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The metrics and health endpoints cannot listen on {EndPoint}: {Reason} The module runs without them; set MedTechEdge:Metrics:Port.")]
    private partial void LogCannotListen(string endPoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics on {Address}/metrics; health on /healthz and /readyz.")]
    private partial void LogListening(string address);
}
