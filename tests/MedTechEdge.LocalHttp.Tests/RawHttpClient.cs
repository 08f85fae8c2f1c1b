using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MedTechEdge.LocalHttp.Tests;

/// <summary>A TCP connection that sends bytes as given and reads answers one at a time (by Content-Length) or to the end.</summary>
internal sealed class RawHttpClient : IAsyncDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    private RawHttpClient(Socket socket) => _socket = socket;

    public static async Task<RawHttpClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        return new RawHttpClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>The next answer: its status line and fields, and as many content bytes as its Content-Length says (none when <paramref name="head"/>).</summary>
    public async Task<RawAnswer> ReadAnswerAsync(bool head = false)
    {
        int end;
        while ((end = IndexOfHeadEnd()) < 0)
        {
            if (!await FillAsync())
            {
                throw new IOException("The connection ended before a whole answer head: " + Encoding.Latin1.GetString([.. _pending]));
            }
        }

        string text = Encoding.Latin1.GetString(_pending.GetRange(0, end).ToArray());
        _pending.RemoveRange(0, end + 4);
        string[] lines = text.Split("\r\n");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            fields.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        var answer = new RawAnswer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), lines[0], fields, "");
        int length = head ? 0 : int.Parse(answer.Field("Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        while (_pending.Count < length)
        {
            if (!await FillAsync())
            {
                throw new IOException("The connection ended inside an answer's content.");
            }
        }

        string content = Encoding.UTF8.GetString(_pending.GetRange(0, length).ToArray());
        _pending.RemoveRange(0, length);
        return answer with { Content = content };
    }

    /// <summary>True when the server closes the connection (after any bytes still to come, which must be none).</summary>
    public async Task<bool> EndsAsync()
    {
        bool more = await FillAsync();
        return !more && _pending.Count == 0;
    }

    private async Task<bool> FillAsync()
    {
        byte[] chunk = new byte[4096];
        using var deadline = new CancellationTokenSource(s_deadline);
        int read = await _socket.ReceiveAsync(chunk, SocketFlags.None, deadline.Token);
        _pending.AddRange(chunk.AsSpan(0, read));
        return read > 0;
    }

    private int IndexOfHeadEnd()
    {
        for (int i = 0; i + 3 < _pending.Count; i++)
        {
            if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>One answer as read off the wire.</summary>
internal sealed record RawAnswer(int Status, string StatusLine, List<KeyValuePair<string, string>> Fields, string Content)
{
    public string? Field(string name) => Fields.Where(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault();
}
