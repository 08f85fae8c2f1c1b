using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.Configuration;
using MedTechEdge.Hosting;
using MedTechEdge.Pipeline.Stages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace MedTechEdge.Dashboard;

/// <summary>
/// The read-only dashboard: a static page (embedded in this assembly: no files beside it, nothing fetched from the
/// internet) and four small JSON answers it polls, served by Kestrel on <c>Dashboard:BindAddress</c>:<c>Dashboard:Port</c>.
/// Only GET and HEAD are answered: nothing here changes the module. With <c>Dashboard:AccessKey</c> set, the page and
/// the JSON answer only requests that carry the key; the script and style sheet hold no data and are served to anyone.
/// </summary>
internal sealed partial class DashboardService : IHostedService, IAsyncDisposable
{
    private const string KeyHeader = "X-Access-Key";

    // The page may load only its own script, style and data: no CDN, no inline script, no framing.
    private const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, Asset> s_assets = new(StringComparer.Ordinal)
    {
        ["/"] = Asset.Load("index.html", "text/html; charset=utf-8", needsKey: true),
        ["/dashboard.js"] = Asset.Load("dashboard.js", "text/javascript; charset=utf-8", needsKey: false),
        ["/dashboard.css"] = Asset.Load("dashboard.css", "text/css; charset=utf-8", needsKey: false),
    };

    private readonly DashboardOptions _options;
    private readonly IPEndPoint _configuredEndPoint;
    private readonly byte[]? _keyHash;
    private readonly DashboardSampler _sampler;
    private readonly MeasurementTap _tap;
    private readonly TimeProvider _clock;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<DashboardService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private LocalHttpServer? _server;
    private Task? _sampling;

    public DashboardService(MedTechEdgeOptions options, DashboardSampler sampler, MeasurementTap tap, TimeProvider clock, IServiceProvider services, ILoggerFactory loggers)
    {
        _options = options.Dashboard;
        if (!IPAddress.TryParse(_options.BindAddress, out IPAddress? address))
        {
            throw new ModuleStartupException($"MedTechEdge:Dashboard:BindAddress '{_options.BindAddress}' is not an IP address.");
        }

        if (_options.Port is < 0 or > 65535)
        {
            throw new ModuleStartupException($"MedTechEdge:Dashboard:Port {_options.Port} is not a TCP port (0 to 65535; 0 lets the system choose).");
        }

        _configuredEndPoint = new IPEndPoint(address, _options.Port);
        // Compared as hashes: equal lengths for the constant-time comparison, whatever the caller sends.
        _keyHash = string.IsNullOrEmpty(_options.AccessKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(_options.AccessKey));
        _sampler = sampler;
        _tap = tap;
        _clock = clock;
        _services = services;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DashboardService>();
    }

    /// <summary>Where the dashboard listens, once started (port 0 picks a free one); null when it could not listen.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        (LocalHttpServer? server, string? failure) = await LocalHttpServer.TryStartAsync(_configuredEndPoint, 64, HandleAsync, _services, _loggers, cancellationToken).ConfigureAwait(false);
        if (server is null)
        {
            // The port is taken: the dashboard is a view, so the module goes on ingesting without it.
            LogCannotListen(_configuredEndPoint.ToString(), failure ?? "unknown");
            return;
        }

        _server = server;
        LocalEndPoint = server.LocalEndPoint;
        _sampling = Task.Run(() => _sampler.RunAsync(_stopping.Token), CancellationToken.None);
        LogListening(LocalEndPoint.ToString(), _keyHash is not null ? "an access key is required" : "no access key is set");
        if (_keyHash is null && !IPAddress.IsLoopback(_configuredEndPoint.Address))
        {
            LogOpenToNetwork(_configuredEndPoint.ToString());
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_sampling is not null)
        {
            await _sampling.ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        // The key may travel in the page's URL; no request from the page names it to another site.
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            // Read-only whatever the key: there is nothing to post to.
            response.Headers.Allow = "GET, HEAD";
            await WriteTextAsync(context, StatusCodes.Status405MethodNotAllowed, "405: the dashboard is read-only (GET and HEAD only).").ConfigureAwait(false);
            return;
        }

        string path = request.Path.Value is { Length: > 0 } p ? p : "/";
        if (path == "/index.html")
        {
            path = "/";
        }

        s_assets.TryGetValue(path, out Asset? asset);
        bool api = path.StartsWith("/api/", StringComparison.Ordinal);
        if (asset is null && !api)
        {
            await WriteTextAsync(context, StatusCodes.Status404NotFound, "404: no such page.").ConfigureAwait(false);
            return;
        }

        if ((api || asset!.NeedsKey) && !Authorized(request))
        {
            await WriteTextAsync(context, StatusCodes.Status401Unauthorized, "401: this dashboard needs its access key: open it as /?key=<key>, or send the X-Access-Key header.").ConfigureAwait(false);
            return;
        }

        if (asset is not null)
        {
            if (asset.NeedsKey)
            {
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            await WriteAsync(context, StatusCodes.Status200OK, asset.ContentType, asset.Content).ConfigureAwait(false);
            return;
        }

        ArrayBufferWriter<byte>? json = Answer(path);
        if (json is null)
        {
            await WriteTextAsync(context, StatusCodes.Status404NotFound, "404: no such data.").ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, "application/json; charset=utf-8", json.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>The JSON for one of the page's data paths; null for an unknown one.</summary>
    private ArrayBufferWriter<byte>? Answer(string path)
    {
        DashboardSnapshot snapshot = _sampler.Latest;
        List<MeasurementTapDevice>? devices = null;
        PatientIdMask mask = PatientIdMask.None;
        if (path is "/api/devices" || (!_options.ShowPatientIds && path is "/api/status" or "/api/deadletters"))
        {
            // The tap knows the patient ids to mask in error texts, as well as the devices.
            devices = [];
            _tap.Snapshot(devices);
            mask = _options.ShowPatientIds ? PatientIdMask.None : PatientIdMask.For(devices);
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        switch (path)
        {
            case "/api/status":
                DashboardJson.WriteStatus(writer, snapshot, mask);
                break;
            case "/api/throughput":
                DashboardJson.WriteThroughput(writer, snapshot);
                break;
            case "/api/deadletters":
                DashboardJson.WriteDeadLetters(writer, snapshot, mask);
                break;
            case "/api/devices":
                DashboardJson.WriteDevices(writer, devices!, _clock.GetUtcNow().UtcDateTime, _options.ShowPatientIds);
                break;
            default:
                return null;
        }

        writer.Flush();
        return buffer;
    }

    private bool Authorized(HttpRequest request)
    {
        if (_keyHash is null)
        {
            return true;
        }

        string given = request.Headers.TryGetValue(KeyHeader, out StringValues header) ? header.ToString() : request.Query["key"].ToString();
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _keyHash);
    }

    private static Task WriteTextAsync(HttpContext context, int status, string text) =>
        WriteAsync(context, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    private static Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body) =>
        LocalHttpServer.WriteAsync(context, status, contentType, body);

    /// <summary>One embedded file of the page (<c>Dashboard/wwwroot</c>), read once.</summary>
    private sealed class Asset(string contentType, byte[] content, bool needsKey)
    {
        public string ContentType { get; } = contentType;

        public byte[] Content { get; } = content;

        public bool NeedsKey { get; } = needsKey;

        public static Asset Load(string name, string contentType, bool needsKey)
        {
            using Stream stream = typeof(DashboardService).Assembly.GetManifestResourceStream("dashboard/" + name)
                ?? throw new InvalidOperationException($"The dashboard's '{name}' is not embedded in the module (MedTechEdge.csproj, EmbeddedResource).");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return new Asset(contentType, copy.ToArray(), needsKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: http://{EndPoint}/ ({Access}).")]
    private partial void LogListening(string endPoint, string access);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard: cannot listen on {EndPoint} ({Reason}); the module runs without it. Set MedTechEdge:Dashboard:Port to a free port, or Dashboard:Enabled to false.")]
    private partial void LogCannotListen(string endPoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard: listening on {EndPoint} without an access key: anyone who reaches this address sees device data. Set MedTechEdge:Dashboard:AccessKey.")]
    private partial void LogOpenToNetwork(string endPoint);
}
