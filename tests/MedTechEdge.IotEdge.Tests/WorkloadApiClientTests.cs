using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.IotEdge;

namespace MedTechEdge.IotEdge.Tests;

/// <summary>
/// The workload API client against a local server on a unix socket that answers as edgelet does (the real runtime is
/// not available here): it signs with a module key of its own and serves a trust bundle.
/// </summary>
public sealed class WorkloadApiClientTests : IDisposable
{
    private const string ModuleKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private readonly string _socketPath = Path.Combine(Path.GetTempPath(), "wl-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly List<string> _requests = [];

    public WorkloadApiClientTests()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _listener.Listen(10);
        _ = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_socketPath);
    }

    [Fact]
    public async Task A_Module_Token_Signed_By_The_Workload_Api_Equals_One_Signed_With_The_Key()
    {
        using var client = new WorkloadApiClient(Settings());
        var expires = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        string token = await client.CreateModuleTokenAsync(expires);

        string resource = IotHubSasToken.ModuleResource("myhub.azure-devices.net", "dev1", "mod1");
        Assert.Equal(IotHubSasToken.Token(resource, IotHubSasToken.Sign(ModuleKey, IotHubSasToken.StringToSign(resource, expires)), expires), token);
        string request = Assert.Single(_requests);
        Assert.StartsWith("POST /modules/mod1/genid/gen-42/sign?api-version=2018-06-28 HTTP/1.1", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Trust_Bundle_Is_Read_As_Pem()
    {
        using var client = new WorkloadApiClient(Settings());

        string pem = await client.GetTrustBundleAsync();

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem, StringComparison.Ordinal);
        Assert.StartsWith("GET /trust-bundle?api-version=2018-06-28 HTTP/1.1", Assert.Single(_requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Refusal_Carries_The_Apis_Message()
    {
        using var client = new WorkloadApiClient(Settings(module: "unknown"));

        WorkloadApiException ex = await Assert.ThrowsAsync<WorkloadApiException>(() => client.SignAsync("x"));

        Assert.Contains("HTTP 404", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Module not found", ex.Message, StringComparison.Ordinal);
    }

    private IotEdgeSettings Settings(string module = "mod1") => new()
    {
        IotHubHostName = "myhub.azure-devices.net",
        DeviceId = "dev1",
        ModuleId = module,
        WorkloadUri = new Uri("unix://" + _socketPath),
        GenerationId = "gen-42",
    };

    /// <summary>HTTP/1.1, one request per connection, as edgelet answers the SDKs.</summary>
    private async Task ServeAsync()
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                return;
            }

            using (connection)
            using (var stream = new NetworkStream(connection))
            {
                string head = await ReadHeadAsync(stream);
                int length = 0;
                foreach (string line in head.Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                byte[] body = new byte[length];
                await stream.ReadExactlyAsync(body);
                lock (_requests)
                {
                    _requests.Add(head);
                }

                (int status, string json) = Answer(head, body);
                byte[] payload = Encoding.UTF8.GetBytes(json);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(payload);
            }
        }
    }

    private static (int, string) Answer(string head, byte[] body)
    {
        if (head.StartsWith("GET /trust-bundle", StringComparison.Ordinal))
        {
            return (200, """{"certificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}""");
        }

        if (head.StartsWith("POST /modules/mod1/genid/gen-42/sign", StringComparison.Ordinal))
        {
            byte[] data = Convert.FromBase64String(JsonDocument.Parse(body).RootElement.GetProperty("data").GetString()!);
            string digest = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(ModuleKey), data));
            return (200, $$"""{"digest":"{{digest}}"}""");
        }

        return (404, """{"message":"Module not found"}""");
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
        {
            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
