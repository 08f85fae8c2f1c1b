using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MedTechEdge.TestPeers;

/// <summary>
/// The IoT Edge workload API as edgelet serves it to a module (shared/research/protocols.md C.5), on a unix socket:
/// HTTP/1.1, one request per connection. <c>POST /modules/{m}/genid/{g}/sign</c> signs with a module key of its own,
/// after checking that what it is asked to sign is an IoT Hub string-to-sign for this module
/// (<c>{url-encoded hub/devices/d/modules/m}\n{expiry}</c>, an expiry in the future); <c>GET /trust-bundle</c> serves
/// a PEM bundle. Anything else gets 404 with edgelet's <c>{"message":…}</c>.
/// </summary>
public sealed class FakeWorkloadApi : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly List<string> _requests = [];
    private readonly string _hub;
    private readonly string _device;
    private readonly string _module;
    private readonly string _generation;
    private readonly string _trustBundle;
    private int _refusedSignings;

    public FakeWorkloadApi(string moduleKey, string hub, string device, string module, string generation, string trustBundlePem)
    {
        ModuleKey = moduleKey;
        _hub = hub;
        _device = device;
        _module = module;
        _generation = generation;
        _trustBundle = trustBundlePem;
        SocketPath = Path.Combine(Path.GetTempPath(), "wl-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(10);
        _ = Task.Run(ServeAsync);
    }

    /// <summary>The module's key (base64), as IoT Hub would hold it.</summary>
    public string ModuleKey { get; }

    /// <summary>The socket, for <c>IOTEDGE_WORKLOADURI=unix://{path}</c>.</summary>
    public string SocketPath { get; }

    /// <summary>Request heads in arrival order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Sign requests whose data was not a string-to-sign for this module.</summary>
    public int RefusedSignings => Volatile.Read(ref _refusedSignings);

    /// <summary>The environment the IoT Edge runtime gives the module (protocols.md C.5).</summary>
    public Dictionary<string, string> ModuleEnvironment(string gateway) => new(StringComparer.Ordinal)
    {
        ["IOTEDGE_WORKLOADURI"] = "unix://" + SocketPath,
        ["IOTEDGE_IOTHUBHOSTNAME"] = _hub,
        ["IOTEDGE_GATEWAYHOSTNAME"] = gateway,
        ["IOTEDGE_DEVICEID"] = _device,
        ["IOTEDGE_MODULEID"] = _module,
        ["IOTEDGE_MODULEGENERATIONID"] = _generation,
        ["IOTEDGE_AUTHSCHEME"] = "sasToken",
        ["IOTEDGE_APIVERSION"] = "2022-08-03",
    };

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(SocketPath);
    }

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

            _ = Task.Run(() => AnswerAsync(connection));
        }
    }

    private async Task AnswerAsync(Socket connection)
    {
        using (connection)
        using (var stream = new NetworkStream(connection))
        {
            string head = await ReadHeadAsync(stream);
            int length = 0;
            foreach (string line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
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

    private (int, string) Answer(string head, byte[] body)
    {
        if (head.StartsWith("GET /trust-bundle?api-version=", StringComparison.Ordinal))
        {
            return (200, JsonSerializer.Serialize(new Dictionary<string, string> { ["certificate"] = _trustBundle }));
        }

        if (head.StartsWith($"POST /modules/{_module}/genid/{_generation}/sign?api-version=", StringComparison.Ordinal))
        {
            byte[] data = Convert.FromBase64String(JsonDocument.Parse(body).RootElement.GetProperty("data").GetString()!);
            if (!IsStringToSign(Encoding.UTF8.GetString(data)))
            {
                Interlocked.Increment(ref _refusedSignings);
                return (400, """{"message":"not a string-to-sign for this module"}""");
            }

            string digest = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(ModuleKey), data));
            return (200, JsonSerializer.Serialize(new Dictionary<string, string> { ["digest"] = digest }));
        }

        return (404, """{"message":"Module not found"}""");
    }

    private bool IsStringToSign(string text)
    {
        string resource = Uri.EscapeDataString($"{_hub}/devices/{_device}/modules/{_module}");
        string[] parts = text.Split('\n');
        return parts.Length == 2
            && parts[0] == resource
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long expiry)
            && expiry > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
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
