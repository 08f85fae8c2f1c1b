using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Serialization;

namespace MedTechEdge.IotEdge;

/// <summary>
/// The IoT Edge workload API, over its unix socket (edgelet; paths as the C# and Node SDKs call them): signing a SAS
/// string with the module's key, which the module itself never sees, and the trust bundle that edgeHub's server
/// certificate chains to. The socket serves at most 10 requests at once; this client makes one at a time.
/// </summary>
public sealed class WorkloadApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IotEdgeSettings _settings;

    /// <summary>Creates a client for <paramref name="settings"/>' workload URI (<c>unix:///…</c>, or <c>http://</c> for a test).</summary>
    public WorkloadApiClient(IotEdgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Uri workload = settings.WorkloadUri ?? throw new ArgumentException("The settings have no workload URI.", nameof(settings));
        _settings = settings;
        if (workload.Scheme == "unix")
        {
            string path = workload.AbsolutePath;
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            // The host part is only a name for the Host header (the C# SDK uses the socket's file name).
            _http = new HttpClient(handler) { BaseAddress = new Uri("http://" + Path.GetFileName(path) + "/"), Timeout = TimeSpan.FromSeconds(30) };
        }
        else
        {
            _http = new HttpClient { BaseAddress = workload, Timeout = TimeSpan.FromSeconds(30) };
        }
    }

    /// <summary>Signs <paramref name="stringToSign"/> with the module's primary key; returns the base64 HMAC-SHA256 digest.</summary>
    /// <exception cref="WorkloadApiException">The API refused (its message is included) or answered without a digest.</exception>
    public async Task<string> SignAsync(string stringToSign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stringToSign);
        string path = $"modules/{Uri.EscapeDataString(_settings.ModuleId)}/genid/{Uri.EscapeDataString(_settings.GenerationId ?? string.Empty)}/sign?api-version={_settings.WorkloadApiVersion}";
        var request = new SignRequest("primary", "HMACSHA256", Convert.ToBase64String(Encoding.UTF8.GetBytes(stringToSign)));
        // A body with a Content-Length, as the SDKs send it, rather than a chunked stream.
        using var content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, WorkloadJson.Default.SignRequest));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await _http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "sign", cancellationToken).ConfigureAwait(false);
        SignResponse? body = await response.Content.ReadFromJsonAsync(WorkloadJson.Default.SignResponse, cancellationToken).ConfigureAwait(false);
        return body?.Digest is { Length: > 0 } digest ? digest : throw new WorkloadApiException("The workload API answered the sign request without a digest.");
    }

    /// <summary>The trust bundle (PEM, possibly several certificates) that edgeHub's certificate chains to.</summary>
    public async Task<string> GetTrustBundleAsync(CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await _http.GetAsync($"trust-bundle?api-version={_settings.WorkloadApiVersion}", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "trust-bundle", cancellationToken).ConfigureAwait(false);
        TrustBundleResponse? body = await response.Content.ReadFromJsonAsync(WorkloadJson.Default.TrustBundleResponse, cancellationToken).ConfigureAwait(false);
        return body?.Certificate is { Length: > 0 } pem ? pem : throw new WorkloadApiException("The workload API answered without a trust bundle.");
    }

    /// <summary>A module token signed by the workload API, valid until <paramref name="expiresUtc"/>.</summary>
    public async Task<string> CreateModuleTokenAsync(DateTimeOffset expiresUtc, CancellationToken cancellationToken = default)
    {
        string resource = IotHubSasToken.ModuleResource(_settings.IotHubHostName, _settings.DeviceId, _settings.ModuleId);
        string signature = await SignAsync(IotHubSasToken.StringToSign(resource, expiresUtc), cancellationToken).ConfigureAwait(false);
        return IotHubSasToken.Token(resource, signature, expiresUtc);
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new WorkloadApiException($"The workload API refused the {what} request: HTTP {(int)response.StatusCode} {text}");
        }
    }
}

/// <summary>A workload API call that failed.</summary>
public sealed class WorkloadApiException(string message) : Exception(message);

internal sealed record SignRequest([property: JsonPropertyName("keyId")] string KeyId, [property: JsonPropertyName("algo")] string Algo, [property: JsonPropertyName("data")] string Data);

internal sealed record SignResponse([property: JsonPropertyName("digest")] string? Digest);

internal sealed record TrustBundleResponse([property: JsonPropertyName("certificate")] string? Certificate);

[JsonSerializable(typeof(SignRequest))]
[JsonSerializable(typeof(SignResponse))]
[JsonSerializable(typeof(TrustBundleResponse))]
internal sealed partial class WorkloadJson : JsonSerializerContext;
