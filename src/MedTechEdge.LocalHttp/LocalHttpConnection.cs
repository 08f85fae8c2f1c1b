using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.LocalHttp;

/// <summary>
/// One accepted connection: reads request heads, answers each in order (pipelined requests included: RFC 9112 §9.3.2),
/// and closes on <c>Connection: close</c>, an HTTP/1.0 request, a request with content, a refused head, a timeout, or
/// the server stopping. Between requests it holds no buffer: it waits with a zero-byte receive and rents one when bytes
/// arrive.
/// </summary>
/// <param name="stopping">Ends idle waits and head reads: no new request is begun once the server stops.</param>
/// <param name="aborting">Ends answers being sent: fired when the server's stop grace is over.</param>
internal sealed partial class LocalHttpConnection(Socket socket, LocalHttpLimits limits, LocalHttpHandler handler, TimeProvider time, ILogger logger, CancellationToken stopping, CancellationToken aborting)
{
    private const int FirstBufferSize = 4096;

    public async Task RunAsync()
    {
        long connected = time.GetTimestamp();
        byte[]? buffer = null;
        int filled = 0;
        bool first = true;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                // The first request's head has its time from the connection's start; between requests the wait is the
                // keep-alive time, and the head's time starts at its first bytes.
                if (filled == 0 && !await WaitForBytesAsync(first ? limits.RequestHeadTimeout - time.GetElapsedTime(connected) : limits.KeepAliveTimeout).ConfigureAwait(false))
                {
                    return;
                }

                TimeSpan headTime = first ? limits.RequestHeadTimeout - time.GetElapsedTime(connected) : limits.RequestHeadTimeout;
                first = false;
                buffer ??= ArrayPool<byte>.Shared.Rent(FirstBufferSize);
                (int headLength, buffer, filled) = await ReadHeadAsync(buffer, filled, headTime).ConfigureAwait(false);
                if (headLength < 0)
                {
                    return;
                }

                RequestHeadError error = RequestHead.Parse(buffer.AsSpan(0, headLength), limits.MaxHeaderFields, out LocalHttpRequest? request);
                if (error != RequestHeadError.None)
                {
                    await RefuseAsync(error).ConfigureAwait(false);
                    return;
                }

                if (await AnswerAsync(request!).ConfigureAwait(false))
                {
                    CloseAfterAnswer();
                    return;
                }

                // Bytes after the head are the next pipelined request.
                filled -= headLength;
                buffer.AsSpan(headLength, filled).CopyTo(buffer);
                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away mid-answer, or the server is stopping: nothing to tell it.
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            socket.Dispose();
        }
    }

    /// <summary>
    /// Reads until <paramref name="filled"/> bytes hold a whole head, within <paramref name="headTime"/>; the head's
    /// length, or -1 when the connection is to end (refused, timed out, closed by the client, the server stopping).
    /// </summary>
    private async Task<(int HeadLength, byte[] Buffer, int Filled)> ReadHeadAsync(byte[] buffer, int filled, TimeSpan headTime)
    {
        // One deadline for the whole head, however many segments it comes in.
        using var headDeadline = new CancellationTokenSource(headTime > TimeSpan.Zero ? headTime : TimeSpan.FromTicks(1), time);
        using var headWait = CancellationTokenSource.CreateLinkedTokenSource(stopping, headDeadline.Token);
        var scan = default(RequestHead.Scan);
        int headLength;
        while ((headLength = RequestHead.FindEnd(buffer.AsSpan(0, filled), ref scan)) < 0)
        {
            if (filled >= limits.MaxRequestHeadBytes)
            {
                await RefuseAsync(scan.RequestLineEnded ? RequestHeadError.HeadTooLarge : RequestHeadError.RequestLineTooLong).ConfigureAwait(false);
                return (-1, buffer, filled);
            }

            if (filled == buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limits.MaxRequestHeadBytes));
                buffer.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            int room = Math.Min(buffer.Length, limits.MaxRequestHeadBytes) - filled;
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer.AsMemory(filled, room), SocketFlags.None, headWait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                if (filled > 0)
                {
                    await RefuseAsync(RequestHeadError.Timeout).ConfigureAwait(false);
                }

                return (-1, buffer, filled);
            }

            if (read == 0)
            {
                return (-1, buffer, filled);
            }

            filled += read;
        }

        return (headLength, buffer, filled);
    }

    /// <summary>Runs the handler and writes its answer; true when the connection is to close after it.</summary>
    private async Task<bool> AnswerAsync(LocalHttpRequest request)
    {
        var response = new LocalHttpResponse();
        try
        {
            handler(request, response);
        }
        catch (Exception ex)
        {
            // A handler's bug answers 500 and ends this connection, never the server or the module. The path is logged
            // escaped: a decoded %0A would start a line of its own.
            LogHandlerFailed(ex, request.Method, Uri.EscapeDataString(request.Path));
            await SendAsync(ResponseHead.Write(500, null, 0, [], close: true, time.GetUtcNow()), default).ConfigureAwait(false);
            return true;
        }

        // Content is never read, so the next request cannot be found after it: close (RFC 9112 §9.6). A server that
        // began stopping while the handler ran closes after this answer.
        bool close = request.IsHttp10 || request.HasContent || HasCloseOption(request.Header("Connection")) || stopping.IsCancellationRequested;
        byte[] head = ResponseHead.Write(response.Status, response.ContentType, response.Content.Length, response.Fields, close, time.GetUtcNow());
        await SendAsync(head, request.IsHead || !ResponseHead.HasContent(response.Status) ? default : response.Content).ConfigureAwait(false);
        return close;
    }

    /// <summary>Answers a refused head with its status (RFC 9112 §3 and §5 name 400; RFC 9110 §15 the rest) and closes.</summary>
    private async Task RefuseAsync(RequestHeadError error)
    {
        LogRefused((int)error, error);
        byte[] text = Encoding.ASCII.GetBytes($"{(int)error} {ResponseHead.Reason((int)error)}\n");
        byte[] head = ResponseHead.Write((int)error, "text/plain; charset=utf-8", text.Length, [], close: true, time.GetUtcNow());
        await SendAsync(head, text).ConfigureAwait(false);
        CloseAfterAnswer();
    }

    /// <summary>
    /// Ends the sending side after a last answer. A close with request bytes unread sends a reset, which can destroy the
    /// answer before the client reads it: what has arrived (a refused head's rest, unread content) is discarded first.
    /// </summary>
    private void CloseAfterAnswer() => DiscardAndShutdown(socket);

    /// <summary>Shuts the sending side down and discards the bytes that have arrived (up to 64 KiB), without waiting for more.</summary>
    internal static void DiscardAndShutdown(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        byte[] discard = ArrayPool<byte>.Shared.Rent(FirstBufferSize);
        try
        {
            for (int i = 0; i < 16 && socket.Available > 0; i++)
            {
                socket.Receive(discard, SocketFlags.None);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(discard);
        }
    }

    /// <summary>Sends a head and content, within the head's time (a client must read its answer), unless the server aborts.</summary>
    private async Task SendAsync(byte[] head, ReadOnlyMemory<byte> content)
    {
        using var deadline = new CancellationTokenSource(limits.RequestHeadTimeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(aborting, deadline.Token);
        if (content.Length > 0 && content.Length <= 16 * 1024)
        {
            // Small answers go out in one segment.
            byte[] whole = ArrayPool<byte>.Shared.Rent(head.Length + content.Length);
            try
            {
                head.CopyTo(whole, 0);
                content.Span.CopyTo(whole.AsSpan(head.Length));
                await SendAllAsync(whole.AsMemory(0, head.Length + content.Length), both.Token).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(whole);
            }

            return;
        }

        await SendAllAsync(head, both.Token).ConfigureAwait(false);
        if (content.Length > 0)
        {
            await SendAllAsync(content, both.Token).ConfigureAwait(false);
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                int sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                bytes = bytes[sent..];
            }
        }
        catch (OperationCanceledException)
        {
            // A client that does not read its answer in time, or the server's grace over: the connection ends.
            throw new IOException("The answer could not be sent in time.");
        }
    }

    /// <summary>Waits for the next request's first bytes without a buffer (a zero-byte receive), up to <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitForBytesAsync(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
        try
        {
            // Completes with 0 both when bytes wait and at the end; the receive into a buffer tells them apart.
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, both.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // Idle too long, or the server stopping: closed without an answer, as no request was begun.
            return false;
        }
    }

    /// <summary>Whether a Connection field lists the "close" option (RFC 9112 §9.6; options are case-insensitive).</summary>
    private static bool HasCloseOption(string? connection)
    {
        if (connection is null)
        {
            return false;
        }

        foreach (string option in connection.Split(','))
        {
            if (option.Trim(' ', '\t').Equals("close", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP request refused: {Status} ({Reason}).")]
    private partial void LogRefused(int status, RequestHeadError reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP handler failed for {Method} {Path}; answered 500.")]
    private partial void LogHandlerFailed(Exception exception, string method, string path);
}
