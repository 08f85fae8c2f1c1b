using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MedTechEdge.TestPeers;

/// <summary>
/// A local HTTPS endpoint (Kestrel, with a server certificate for 127.0.0.1 from its own throw-away CA, see
/// <see cref="CaFile"/>) that answers as the Event Hubs REST send-batch interface does (no Event Hubs service or
/// emulator speaks REST here). It checks what learn.microsoft.com/rest/api/eventhub/send-batch-events and
/// generate-sas-token document: <c>POST /{hub}/messages?api-version=2014-01</c>, <c>Content-Type:
/// application/vnd.microsoft.servicebus.json</c>, a body that is a JSON array of <c>{"Body": "&lt;string&gt;",
/// "UserProperties": {…}, "BrokerProperties": {"PartitionKey": "…"}}</c>, and the SAS token's signature against its own
/// key (or a bearer token against <see cref="AcceptsBearer"/>). It records each publication and answers with the
/// statuses a test queues in <see cref="Answers"/> (401, 429, 503, …), 201 Created otherwise, 401 for a token it does
/// not accept and 400/404/405 for a request that breaks the documented format.
/// </summary>
/// <remarks>
/// It also listens on plain HTTP (<see cref="PlainHttpConnectionString"/>) for the module-level tests: the module's
/// SinkFactory builds its own HttpClient, which trusts only the system store, so those tests cannot use the test CA.
/// </remarks>
public sealed class FakeEventHubsEndpoint : IDisposable
{
    public const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHM9PQ==";
    public const string KeyName = "send-policy";
    public const string Hub = "vitals";
    public const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    private readonly TestCertificates _pki = TestCertificates.Create();
    private readonly X509Certificate2 _serverCertificate;
    private readonly WebApplication _app;

    public FakeEventHubsEndpoint()
    {
        _serverCertificate = X509Certificate2.CreateFromPemFile(_pki.ServerCertificateFile, _pki.ServerKeyFile);
        // An empty builder: no configuration files, environment variables or loggers of the test process reach it.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_serverCertificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Uri[] bound = [.. _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(address => new Uri(address))];
        Port = bound.Single(address => address.Scheme == Uri.UriSchemeHttps).Port;
        PlainHttpPort = bound.Single(address => address.Scheme == Uri.UriSchemeHttp).Port;
    }

    /// <summary>The HTTPS port.</summary>
    public int Port { get; }

    /// <summary>The plain HTTP port, for the module-level tests only.</summary>
    public int PlainHttpPort { get; }

    /// <summary>The PEM file of the CA that issued the server certificate: the one root a client should trust.</summary>
    public string CaFile => _pki.CaFile;

    /// <summary>The PEM file of an unrelated CA, for a client that trusts the wrong root.</summary>
    public string OtherCaFile => _pki.OtherCaFile;

    public string ConnectionString => $"Endpoint=https://127.0.0.1:{Port}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key};EntityPath={Hub}";

    /// <summary>The same hub over plain HTTP, for the module, whose HttpClient cannot trust the test CA.</summary>
    public string PlainHttpConnectionString => $"Endpoint=http://127.0.0.1:{PlainHttpPort}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key};EntityPath={Hub}";

    /// <summary>The resource URI a SAS token for the HTTPS address must be signed for.</summary>
    public string ResourceUri => $"https://127.0.0.1:{Port}/{Hub}";

    /// <summary>The resource URI a SAS token for the plain HTTP address must be signed for.</summary>
    public string PlainHttpResourceUri => $"http://127.0.0.1:{PlainHttpPort}/{Hub}";

    /// <summary>Statuses to answer a well-formed publication with, in order; (status, body).</summary>
    public ConcurrentQueue<(int Status, string Body)> Answers { get; } = new();

    public ConcurrentQueue<Publication> Publications { get; } = new();

    /// <summary>
    /// Which Entra ID tokens (<c>Authorization: Bearer …</c>) the endpoint takes; none when null. The real service
    /// checks the token's signature, audience and the identity's role, which a test stands in for with this.
    /// </summary>
    public Func<string, bool>? AcceptsBearer { get; set; }

    /// <summary>
    /// An HttpClient whose TLS validation trusts exactly the PEM CA in <paramref name="caFile"/> (a custom root trust
    /// chain, no system roots), with the usual host name check.
    /// </summary>
    public static HttpClient ClientTrusting(string caFile)
    {
        X509Certificate2 ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    // The chain is judged below against the one CA; any other fault (no certificate, a name mismatch) is fatal.
                    if (certificate is not X509Certificate2 leaf || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    return chain.Build(leaf);
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>An HttpClient that trusts exactly this endpoint's CA.</summary>
    public HttpClient CreateClient() => ClientTrusting(CaFile);

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _serverCertificate.Dispose();
        _pki.Dispose();
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var publication = new Publication(
            context.Request.Scheme,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.ContentType,
            context.Request.Headers.Authorization.FirstOrDefault(),
            buffer.ToArray());
        Publications.Enqueue(publication);
        string resource = publication.Scheme == Uri.UriSchemeHttps ? ResourceUri : PlainHttpResourceUri;
        (int status, string body) = publication.RequestError is (int refused, string why) ? (refused, why)
            : Answers.TryDequeue(out var answer) ? answer
            : publication.IsSignedFor(resource) ? (201, string.Empty)
            : publication.BearerToken is string bearer ? (AcceptsBearer?.Invoke(bearer) == true ? (201, string.Empty) : (401, "InvalidToken"))
            : (401, "InvalidSignature");
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(body);
    }

    public sealed record Publication(string Scheme, string Method, string Path, string Query, string? ContentType, string? Authorization, byte[] Body)
    {
        private static readonly HashSet<string> EventMembers = ["Body", "UserProperties", "BrokerProperties", "IsBodyBase64"];

        public JsonElement Events => JsonDocument.Parse(Body).RootElement;

        /// <summary>The token of an <c>Authorization: Bearer …</c> header; null for any other.</summary>
        public string? BearerToken => Authorization is not null && Authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? Authorization["Bearer ".Length..] : null;

        /// <summary>
        /// What makes the request other than the documented batch send, as the status and words the endpoint answers
        /// with; null for a well-formed one. The real service would take another content type as a single event; for a
        /// batch sender that is a bug, so this endpoint refuses it.
        /// </summary>
        public (int Status, string Reason)? RequestError
        {
            get
            {
                if (Method != HttpMethods.Post)
                {
                    return (405, $"{Method} is not allowed: the send interface takes POST.");
                }

                if (Path != $"/{Hub}/messages")
                {
                    return (404, $"MessagingEntityNotFound: {Path} is not /{Hub}/messages.");
                }

                if (!Query.Split(['?', '&'], StringSplitOptions.RemoveEmptyEntries).Contains("api-version=2014-01"))
                {
                    return (400, $"The query '{Query}' has no api-version=2014-01.");
                }

                if (!MediaTypeHeaderValue.TryParse(ContentType, out MediaTypeHeaderValue? type) || type.MediaType != BatchContentType)
                {
                    return (400, $"Content-Type '{ContentType}' is not {BatchContentType}.");
                }

                return BatchError is string error ? (400, error) : null;
            }
        }

        /// <summary>
        /// What breaks the documented batch body, or null: a JSON array of one or more objects, each with a string
        /// <c>Body</c>, an optional <c>UserProperties</c> object of strings, numbers and booleans, an optional
        /// <c>BrokerProperties</c> object (its <c>PartitionKey</c> a string), an optional boolean <c>IsBodyBase64</c>,
        /// and nothing else.
        /// </summary>
        public string? BatchError
        {
            get
            {
                JsonElement events;
                try
                {
                    events = Events;
                }
                catch (JsonException ex)
                {
                    return "The batch is not JSON: " + ex.Message;
                }

                if (events.ValueKind != JsonValueKind.Array || events.GetArrayLength() == 0)
                {
                    return "The batch is not a JSON array of events.";
                }

                int index = 0;
                foreach (JsonElement e in events.EnumerateArray())
                {
                    string? error = EventError(e);
                    if (error is not null)
                    {
                        return $"Event {index}: {error}";
                    }

                    index++;
                }

                return null;
            }
        }

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
                if (equals <= 0)
                {
                    return false;
                }

                fields[pair[..equals]] = pair[(equals + 1)..];
            }

            if (!fields.TryGetValue("sr", out string? sr) || !fields.TryGetValue("sig", out string? sig)
                || !fields.TryGetValue("se", out string? se) || !fields.TryGetValue("skn", out string? skn)
                || Uri.UnescapeDataString(sr) != resource || Uri.UnescapeDataString(skn) != KeyName
                || !long.TryParse(se, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long expiry))
            {
                return false;
            }

            byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes(sr + "\n" + se));
            return Convert.ToBase64String(expected) == Uri.UnescapeDataString(sig)
                && expiry > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }

        private static string? EventError(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                return "not a JSON object.";
            }

            foreach (JsonProperty member in e.EnumerateObject())
            {
                if (!EventMembers.Contains(member.Name))
                {
                    return $"'{member.Name}' is not one of Body, UserProperties, BrokerProperties, IsBodyBase64.";
                }
            }

            if (!e.TryGetProperty("Body", out JsonElement body) || body.ValueKind != JsonValueKind.String)
            {
                return "Body is missing or not a string.";
            }

            if (e.TryGetProperty("IsBodyBase64", out JsonElement base64) && base64.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return "IsBodyBase64 is not a boolean.";
            }

            if (e.TryGetProperty("UserProperties", out JsonElement user)
                && (user.ValueKind != JsonValueKind.Object
                    || user.EnumerateObject().Any(p => p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))))
            {
                return "UserProperties is not an object of strings, numbers and booleans.";
            }

            if (e.TryGetProperty("BrokerProperties", out JsonElement broker)
                && (broker.ValueKind != JsonValueKind.Object
                    || (broker.TryGetProperty("PartitionKey", out JsonElement key) && key.ValueKind != JsonValueKind.String)))
            {
                return "BrokerProperties is not an object, or its PartitionKey is not a string.";
            }

            return null;
        }
    }
}
