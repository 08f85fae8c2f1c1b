using System.Net.Sockets;

namespace MedTechEdge.Mqtt.Tests.TestSupport;

/// <summary>A bare TCP connection for sending hand-made bytes, to test what well-behaved clients never send.</summary>
internal sealed class RawMqttSocket : IAsyncDisposable
{
    private readonly TcpClient _client = new();

    private NetworkStream Stream => _client.GetStream();

    public static async Task<RawMqttSocket> ConnectAsync(int port)
    {
        var raw = new RawMqttSocket();
        await raw._client.ConnectAsync("127.0.0.1", port);
        return raw;
    }

    public async Task SendAsync(params byte[] bytes) => await Stream.WriteAsync(bytes);

    /// <summary>Reads until <paramref name="count"/> bytes arrived or the peer closed; returns what was read.</summary>
    public async Task<byte[]> ReadAsync(int count, TimeSpan timeout)
    {
        var buffer = new byte[count];
        int read = 0;
        using var cts = new CancellationTokenSource(timeout);
        while (read < count)
        {
            int n = await Stream.ReadAsync(buffer.AsMemory(read), cts.Token);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return buffer[..read];
    }

    /// <summary>True when the server closes the connection within the timeout (reads drain anything sent first).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>CONNECT, MQTT 5.0, client id "raw", clean start, keep-alive <paramref name="keepAlive"/> s, no properties.</summary>
    public static byte[] ConnectV5(ushort keepAlive = 60) =>
        [0x10, 16, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x05, 0x02, (byte)(keepAlive >> 8), (byte)keepAlive, 0x00, 0x00, 0x03, (byte)'r', (byte)'a', (byte)'w'];

    /// <summary>CONNECT, MQTT 3.1.1, client id "raw", clean session.</summary>
    public static byte[] ConnectV311(ushort keepAlive = 60) =>
        [0x10, 15, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, (byte)(keepAlive >> 8), (byte)keepAlive, 0x00, 0x03, (byte)'r', (byte)'a', (byte)'w'];

    /// <summary>CONNECT, MQTT 3.1.1, with user name and password flags and Clean Session (flags 0xC2), keep-alive 60 s.</summary>
    public static byte[] ConnectV311(string clientId, string username, string password)
    {
        var body = new List<byte> { 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0xC2, 0x00, 60 };
        foreach (string field in new[] { clientId, username, password })
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(field);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }

        return [0x10, (byte)body.Count, .. body];
    }
}
