using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.LocalHttp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.Dashboard;

/// <summary>
/// The read-only dashboard: a static page (embedded in this assembly: no files beside it, nothing fetched from the
/// internet) and four small JSON answers it polls, served on <c>Dashboard:BindAddress</c>:<c>Dashboard:Port</c> by the
/// module's own small HTTP server (<see cref="LocalHttpServer"/>, as the metrics endpoint).
/// Only GET and HEAD are answered: nothing here changes the module. With <c>Dashboard:AccessKey</c> set, the page and
/// the JSON answer only requests that carry the key; the script and style sheet hold no data and are served to anyone.
/// </summary>
public sealed partial class DashboardService : IHostedService, IAsyncDisposable
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
    private readonly NormalRanges _ranges;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private LocalHttpServer? _server;
    private Task? _sampling;

    /// <summary>Creates the dashboard; <paramref name="options"/> are valid (<see cref="DashboardOptionsValidator"/>).</summary>
    internal DashboardService(DashboardOptions options, DashboardSampler sampler, TimeProvider time, ILogger<DashboardService> logger)
    {
        _options = options;
        // The host validated the settings before composing the dashboard, so these name no user error.
        _configuredEndPoint = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port);
        // Compared as hashes: equal lengths for the constant-time comparison, whatever the caller sends.
        _keyHash = string.IsNullOrEmpty(_options.AccessKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(_options.AccessKey));
        _sampler = sampler;
        _ranges = new NormalRanges(options);
        _time = time;
        _logger = logger;
    }

    /// <summary>Where the dashboard listens, once started (port 0 picks a free one); null when it could not listen.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        (LocalHttpServer? server, string? failure) = LocalHttpServer.TryStart(_configuredEndPoint, new LocalHttpLimits { MaxConnections = 64 }, Handle, _time, _logger);
        if (server is null)
        {
            // The port is taken: the dashboard is a view, so the module goes on ingesting without it.
            LogCannotListen(_configuredEndPoint.ToString(), failure ?? "unknown");
            return Task.CompletedTask;
        }

        _server = server;
        LocalEndPoint = server.LocalEndPoint;
        _sampling = Task.Run(() => _sampler.RunAsync(_stopping.Token), CancellationToken.None);
        LogListening(LocalEndPoint.ToString(), _keyHash is not null ? "an access key is required" : "no access key is set");
        if (_keyHash is null && !IPAddress.IsLoopback(_configuredEndPoint.Address))
        {
            LogOpenToNetwork(_configuredEndPoint.ToString());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            // Answers in flight get a few seconds (the page's are small), then the sockets close.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await _server.StopAsync(grace.Token).ConfigureAwait(false);
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }

        if (_sampling is not null)
        {
            await _sampling.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Handle(LocalHttpRequest request, LocalHttpResponse response)
    {
        response.SetHeader("X-Content-Type-Options", "nosniff");
        response.SetHeader("Cache-Control", "no-store");
        // The key may travel in the page's URL; no request from the page names it to another site.
        response.SetHeader("Referrer-Policy", "no-referrer");
        if (!request.IsGetOrHead)
        {
            // Read-only whatever the key: there is nothing to post to.
            response.SetHeader("Allow", "GET, HEAD");
            Text(response, 405, "405: the dashboard is read-only (GET and HEAD only).");
            return;
        }

        string path = request.Path;
        if (path == "/index.html")
        {
            path = "/";
        }

        s_assets.TryGetValue(path, out Asset? asset);
        bool api = path.StartsWith("/api/", StringComparison.Ordinal);
        if (asset is null && !api)
        {
            Text(response, 404, "404: no such page.");
            return;
        }

        if ((api || asset!.NeedsKey) && !Authorized(request))
        {
            Text(response, 401, "401: this dashboard needs its access key: open it as /?key=<key>, or send the X-Access-Key header.");
            return;
        }

        if (asset is not null)
        {
            if (asset.NeedsKey)
            {
                response.SetHeader("Content-Security-Policy", ContentSecurityPolicy);
            }

            response.Answer(200, asset.ContentType, asset.Content);
            return;
        }

        ArrayBufferWriter<byte>? json = Answer(path);
        if (json is null)
        {
            Text(response, 404, "404: no such data.");
            return;
        }

        response.Answer(200, "application/json; charset=utf-8", json.WrittenMemory);
    }

    /// <summary>The JSON for one of the page's data paths; null for an unknown one.</summary>
    private ArrayBufferWriter<byte>? Answer(string path)
    {
        DashboardSnapshot snapshot = _sampler.Latest;
        // The tick's devices know the patient ids to mask in error texts.
        PatientIdMask mask = _options.ShowPatientIds || path is not ("/api/status" or "/api/deadletters")
            ? PatientIdMask.None
            : PatientIdMask.For(snapshot.Devices);

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
                DashboardJson.WriteDevices(writer, snapshot.Devices, snapshot.TimeUtc, _options.ShowPatientIds, _ranges);
                break;
            default:
                return null;
        }

        writer.Flush();
        return buffer;
    }

    private bool Authorized(LocalHttpRequest request)
    {
        if (_keyHash is null)
        {
            return true;
        }

        string given = request.Header(KeyHeader) ?? request.Query("key") ?? "";
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _keyHash);
    }

    private static void Text(LocalHttpResponse response, int status, string text) =>
        response.Answer(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    /// <summary>One embedded file of the page (<c>wwwroot/</c>), read once.</summary>
    private sealed class Asset(string contentType, byte[] content, bool needsKey)
    {
        public string ContentType { get; } = contentType;

        public byte[] Content { get; } = content;

        public bool NeedsKey { get; } = needsKey;

        public static Asset Load(string name, string contentType, bool needsKey)
        {
            using Stream stream = typeof(DashboardService).Assembly.GetManifestResourceStream("dashboard/" + name)
                ?? throw new InvalidOperationException($"The dashboard's '{name}' is not embedded (MedTechEdge.Dashboard.csproj, EmbeddedResource).");
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
