using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MedTechEdge.PersistLoad;

/// <summary>
/// An HTTP relay in front of the FHIR peer that notes when each Observation is accepted: the instant the peer's
/// success answer to a transaction Bundle (or a PUT) is back, before it is passed on to the module. The request is
/// parsed only after the answer is passed on, so the relay adds one loopback hop to the module's path and nothing else.
/// It also keeps a sample of the Bundles, to replay them straight to the peer: the peer's own round trip.
/// </summary>
internal sealed class LatencyFhirRecorder : IAsyncDisposable
{
    // Enough for every Bundle of a 20 s case at 1,000 msg/s; the replay takes an even sample of them.
    private const int KeptBundles = 10_000;

    // Hop-by-hop and length headers: the listener and HttpClient set their own.
    private static readonly HashSet<string> s_skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Host", "Expect", "Date", "Server",
    };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream;
    private readonly Uri _peerRoot;
    private readonly Task _accept;
    private readonly List<byte[]> _bundles = [];
    private readonly List<double> _reads = [];
    private readonly SortedDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private volatile LatencyLedger? _ledger;
    private volatile bool _keepBundles;

    public LatencyFhirRecorder(Uri peerBaseUrl)
    {
        _peerRoot = new Uri(peerBaseUrl.GetLeftPart(UriPartial.Authority));
        Port = FreePort();
        BaseUrl = new UriBuilder(peerBaseUrl) { Port = Port }.Uri;
        _upstream = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The peer's base URL through this relay: what the module is given as <c>Fhir:Url</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The case whose Observations are being timed; null between cases (what the case kept stays readable).</summary>
    public void Attach(LatencyLedger? ledger, bool keepBundles)
    {
        if (ledger is not null)
        {
            lock (_bundles)
            {
                _bundles.Clear();
                _reads.Clear();
                _answers.Clear();
            }
        }

        _keepBundles = keepBundles;
        _ledger = ledger;
    }

    /// <summary>Up to <paramref name="count"/> of the Bundles kept since <see cref="Attach"/>, evenly spread over the case, as the module sent them.</summary>
    public List<byte[]> KeptBundlesSample(int count)
    {
        lock (_bundles)
        {
            var sample = new List<byte[]>(count);
            for (int i = 0; i < Math.Min(count, _bundles.Count); i++)
            {
                sample.Add(_bundles[(int)((long)i * _bundles.Count / Math.Min(count, _bundles.Count))]);
            }

            return sample;
        }
    }

    /// <summary>The peer's answers since <see cref="Attach"/>, counted by method and status, e.g. "POST 200: 1,234; GET 404: 1,000".</summary>
    public string Answers()
    {
        lock (_bundles)
        {
            return string.Join("; ", _answers.Select(a => a.Key + ": " + a.Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>
    /// Round trips (ms) of the module's window reads since <see cref="Attach"/>: the FHIR sink reads the SampledData windows
    /// of a batch before it merges, one <c>GET Observation/{id}</c> for one window, one batch Bundle of them for several.
    /// </summary>
    public List<double> ReadRoundTrips()
    {
        lock (_bundles)
        {
            return [.. _reads];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }

        _upstream.Dispose();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context = await _listener.GetContextAsync().ConfigureAwait(false);
            _ = Task.Run(() => RelayAsync(context));
        }
    }

    private async Task RelayAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        HttpListenerResponse response = context.Response;
        try
        {
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
                body = buffer.ToArray();
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_peerRoot, request.RawUrl));
            if (body.Length > 0)
            {
                forward.Content = new ByteArrayContent(body);
            }

            foreach (string? name in request.Headers.AllKeys)
            {
                if (name is null || s_skipped.Contains(name))
                {
                    continue;
                }

                string? value = request.Headers[name];
                if (!forward.Headers.TryAddWithoutValidation(name, value) && forward.Content is not null)
                {
                    forward.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            long sent = Stopwatch.GetTimestamp();
            using HttpResponseMessage answer = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            byte[] content = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            long accepted = Stopwatch.GetTimestamp();
            if (_ledger is not null)
            {
                lock (_bundles)
                {
                    string key = request.HttpMethod + " " + ((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    _answers[key] = _answers.GetValueOrDefault(key) + 1;
                    // The sink's reads of SampledData windows (GET Observation/{id}, or a batch Bundle of them), not the identity
                    // searches (GET Patient?identifier=…) nor the transactions.
                    if (IsWindowRead(request, body))
                    {
                        _reads.Add(LatencyStats.Milliseconds(sent, accepted));
                    }
                }
            }

            response.StatusCode = (int)answer.StatusCode;
            foreach (KeyValuePair<string, IEnumerable<string>> header in answer.Headers.Concat(answer.Content.Headers))
            {
                if (!s_skipped.Contains(header.Key))
                {
                    response.Headers[header.Key] = string.Join(", ", header.Value);
                }
            }

            response.ContentLength64 = content.Length;
            await response.OutputStream.WriteAsync(content).ConfigureAwait(false);
            response.Close();
            if (answer.IsSuccessStatusCode && body.Length > 0 && _ledger is { } ledger)
            {
                Note(request.HttpMethod, body, accepted, ledger);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or HttpListenerException or ObjectDisposedException or TaskCanceledException)
        {
            // The module's side closed (it was stopped), or the peer's: the module retries, nothing to time.
            response.Abort();
        }
    }

    private static bool IsWindowRead(HttpListenerRequest request, byte[] body) =>
        request.HttpMethod == "GET"
            ? request.Url?.AbsolutePath.Contains("/Observation/", StringComparison.Ordinal) == true
            : request.HttpMethod == "POST" && body.AsSpan().IndexOf("\"type\":\"batch\""u8) >= 0;

    private void Note(string method, byte[] body, long accepted, LatencyLedger ledger)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        string? type = root.TryGetProperty("resourceType", out JsonElement t) ? t.GetString() : null;
        if (type == "Observation" && method == "PUT")
        {
            ledger.Observation(root, accepted);
            return;
        }

        // A batch Bundle holds the sink's window reads: nothing accepted, nothing to replay.
        if (type != "Bundle" || method != "POST" || !root.TryGetProperty("entry", out JsonElement entries)
            || (root.TryGetProperty("type", out JsonElement bundleType) && bundleType.ValueEquals("batch")))
        {
            return;
        }

        if (_keepBundles)
        {
            lock (_bundles)
            {
                if (_bundles.Count < KeptBundles)
                {
                    _bundles.Add(body);
                }
            }
        }

        // A transaction Bundle's 200 means every entry was written (the peer's transactions are atomic).
        foreach (JsonElement entry in entries.EnumerateArray())
        {
            if (entry.TryGetProperty("resource", out JsonElement resource)
                && resource.TryGetProperty("resourceType", out JsonElement resourceType)
                && resourceType.ValueEquals("Observation"))
            {
                ledger.Observation(resource, accepted);
            }
        }
    }
}
