using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MedTechEdge.LocalHttp;

/// <summary>
/// One accepted connection: reads request heads, answers each in order (pipelined requests included: RFC 9112 §9.3.2),
/// and closes on <c>Connection: close</c>, an HTTP/1.0 request, a refused head, a timeout, or the server stopping.
/// Between requests it holds no buffer: it waits with a zero-byte receive and rents one when bytes arrive.
/// </summary>
internal sealed partial class LocalHttpConnection(Socket socket, LocalHttpLimits limits, LocalHttpHandler handler, TimeProvider time, ILogger logger)
{
    private const int FirstBufferSize = 4096;

    public async Task RunAsync(CancellationToken stopping)
    {
        byte[]? buffer = null;
        int filled = 0;
        bool first = true;
        try
        {
            while (true)
            {
                if (filled == 0)
                {
                    // The first request has the head's time from the connection's start; later ones wait the keep-alive time.
                    if (!await WaitForBytesAsync(first ? limits.RequestHeadTimeout : limits.KeepAliveTimeout, stopping).ConfigureAwait(false))
                    {
                        return;
                    }
                }

                first = false;
                buffer ??= ArrayPool<byte>.Shared.Rent(FirstBufferSize);
                // One deadline for the whole head, however many segments it comes in.
                using var headDeadline = new CancellationTokenSource(limits.RequestHeadTimeout, time);
                using var headWait = CancellationTokenSource.CreateLinkedTokenSource(stopping, headDeadline.Token);
                int headLength;
                bool requestLineEnded;
                while ((headLength = RequestHead.FindEnd(buffer.AsSpan(0, filled), out requestLineEnded)) < 0)
                {
                    if (filled >= limits.MaxRequestHeadBytes)
                    {
                        await RefuseAsync(requestLineEnded ? RequestHeadError.HeadTooLarge : RequestHeadError.RequestLineTooLong, stopping).ConfigureAwait(false);
                        return;
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
                            await RefuseAsync(RequestHeadError.Timeout, stopping).ConfigureAwait(false);
                        }

                        return;
                    }

                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                RequestHeadError error = RequestHead.Parse(buffer.AsSpan(0, headLength), limits.MaxHeaderFields, out LocalHttpRequest? request);
                if (error != RequestHeadError.None)
                {
                    await RefuseAsync(error, stopping).ConfigureAwait(false);
                    return;
                }

                // Content is never read, so the connection cannot find the next request after it: close (RFC 9112 §9.6).
                bool close = request!.IsHttp10 || request.HasContent || HasCloseOption(request.Header("Connection"));
                if (!await AnswerAsync(request, close, stopping).ConfigureAwait(false) || close)
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

    /// <summary>Runs the handler and writes its answer; false when the connection must close (the handler failed).</summary>
    private async Task<bool> AnswerAsync(LocalHttpRequest request, bool close, CancellationToken stopping)
    {
        var response = new LocalHttpResponse();
        try
        {
            handler(request, response);
        }
        catch (Exception ex)
        {
            // A handler's bug answers 500 and ends this connection, never the server or the module.
            LogHandlerFailed(ex, request.Method, request.Path);
            await SendAsync(ResponseHead.Write(500, null, 0, [], close: true, time.GetUtcNow()), default, stopping).ConfigureAwait(false);
            return false;
        }

        ReadOnlyMemory<byte> content = request.IsHead ? default : response.Content;
        byte[] head = ResponseHead.Write(response.Status, response.ContentType, response.Content.Length, response.Fields, close, time.GetUtcNow());
        await SendAsync(head, content, stopping).ConfigureAwait(false);
        return true;
    }

    /// <summary>Answers a refused head with its status (RFC 9112 §3 and §5 name 400; RFC 9110 §15 the rest) and asks to close.</summary>
    private async Task RefuseAsync(RequestHeadError error, CancellationToken stopping)
    {
        LogRefused((int)error, error);
        byte[] text = Encoding.ASCII.GetBytes($"{(int)error} {ResponseHead.Reason((int)error)}\n");
        byte[] head = ResponseHead.Write((int)error, "text/plain; charset=utf-8", text.Length, [], close: true, time.GetUtcNow());
        await SendAsync(head, text, stopping).ConfigureAwait(false);
        CloseAfterAnswer();
    }

    /// <summary>
    /// Ends the sending side after a last answer. A close with request bytes unread sends a reset, which can destroy the
    /// answer before the client reads it: what has arrived (a refused head's rest, unread content) is discarded first.
    /// </summary>
    private void CloseAfterAnswer()
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

    private async Task SendAsync(byte[] head, ReadOnlyMemory<byte> content, CancellationToken stopping)
    {
        using var deadline = new CancellationTokenSource(limits.RequestHeadTimeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
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
            // A client that does not read its answer in time, or the server stopping: the connection ends.
            throw new IOException("The answer could not be sent in time.");
        }
    }

    /// <summary>Waits for the next request's first bytes without a buffer (a zero-byte receive), up to <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitForBytesAsync(TimeSpan timeout, CancellationToken stopping)
    {
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
