using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MedTechEdge.TestPeers;

/// <summary>
/// A local HTTP endpoint that answers as the Event Hubs REST send interface does (no Event Hubs service or emulator
/// speaks REST here): it checks the path, the batch content type and the SAS token against its own key (or a bearer
/// token against <see cref="AcceptsBearer"/>), records each publication, and answers with the statuses a test queues
/// (201 Created otherwise, 401 for a token it does not accept).
/// </summary>
public sealed class FakeEventHubsEndpoint : IDisposable
{
    public const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHM9PQ==";
    public const string KeyName = "send-policy";
    public const string Hub = "vitals";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeEventHubsEndpoint()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string ConnectionString => $"Endpoint=http://127.0.0.1:{Port}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key};EntityPath={Hub}";

    /// <summary>Statuses to answer with, in order; (status, body).</summary>
    public ConcurrentQueue<(int Status, string Body)> Answers { get; } = new();

    public ConcurrentQueue<Publication> Publications { get; } = new();

    /// <summary>
    /// Which Entra ID tokens (<c>Authorization: Bearer …</c>) the endpoint takes; none when null. The real service
    /// checks the token's signature, audience and the identity's role, which a test stands in for with this.
    /// </summary>
    public Func<string, bool>? AcceptsBearer { get; set; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(reader);
            var publication = new Publication(
                context.Request.HttpMethod,
                context.Request.Url!.AbsolutePath,
                context.Request.Url!.Query,
                context.Request.ContentType,
                context.Request.Headers["Authorization"],
                reader.ToArray());
            Publications.Enqueue(publication);
            (int status, string body) = Answers.TryDequeue(out var answer) ? answer
                : publication.IsSignedFor($"http://127.0.0.1:{Port}/{Hub}") ? (201, string.Empty)
                : publication.BearerToken is string bearer ? (AcceptsBearer?.Invoke(bearer) == true ? (201, string.Empty) : (401, "InvalidToken"))
                : (401, "InvalidSignature");
            context.Response.StatusCode = status;
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Publication(string Method, string Path, string Query, string? ContentType, string? Authorization, byte[] Body)
    {
        public JsonElement Events => JsonDocument.Parse(Body).RootElement;

        /// <summary>The token of an <c>Authorization: Bearer …</c> header; null for any other.</summary>
        public string? BearerToken => Authorization is not null && Authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? Authorization["Bearer ".Length..] : null;

        /// <summary>The token's signature checked the way the service checks it: HMAC-SHA256 over "sr\nse" with the key's UTF-8 bytes.</summary>
        public bool IsSignedFor(string resource)
        {
            if (Authorization is null || !Authorization.StartsWith("SharedAccessSignature ", StringComparison.Ordinal))
            {
                return false;
            }

            var fields = new Dictionary<string, string>();
            foreach (string pair in Authorization["SharedAccessSignature ".Length..].Split('&'))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                fields[pair[..equals]] = pair[(equals + 1)..];
            }

            if (Uri.UnescapeDataString(fields["sr"]) != resource || fields["skn"] != KeyName)
            {
                return false;
            }

            byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(fields["sr"] + "\n" + fields["se"]));
            return Convert.ToBase64String(expected) == Uri.UnescapeDataString(fields["sig"])
                && long.Parse(fields["se"], System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }
    }
}
