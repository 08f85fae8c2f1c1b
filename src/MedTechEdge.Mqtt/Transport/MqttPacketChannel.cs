using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using MedTechEdge.Mqtt.Formatter;
using MedTechEdge.Mqtt.Packets;
using MedTechEdge.Mqtt.Protocol;

namespace MedTechEdge.Mqtt.Transport;

/// <summary>
/// One network connection as a stream of control packets, shared by the server and the client.
/// Reading: a <see cref="PipeReader"/> over the socket; each call parses at most one packet and advances past it,
/// leaving the rest examined-but-unconsumed so the next call returns at once without a socket read. Between packets
/// the reader waits on a zero-byte read, holding no buffer: a segment is rented when bytes arrive and returned once
/// they are all consumed, so an idle connection (most of a gateway's devices, most of the time) costs no buffer.
/// Writing: packets are encoded straight into a <see cref="PipeWriter"/> under a lock, because the read loop, the
/// acknowledgement loop and the delivery loop all send on the same connection.
/// </summary>
internal sealed class MqttPacketChannel : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly MqttPacketEncoder _encoder = new();
    private readonly bool _waitsOnSocket;
    private bool _pipeEmpty = true;
    private int _disposed;

    // Segments of 4 KiB: a device's packet is a few hundred bytes, so a burst of them fits one; a larger packet spans
    // several segments, each read straight into.
    private const int SegmentSize = 4096;
    private const int MinimumReadSize = 1024;

    // A wake-up that finds nothing to read is re-armed this many times before the pipe is let read anyway (holding
    // a segment while it waits, which is what the pipe's own zero-byte read would have done).
    private const int SpuriousWakeLimit = 4;

    /// <param name="pool">Where the read and write segments come from; null for <see cref="MemoryPool{T}.Shared"/>.</param>
    public MqttPacketChannel(Socket socket, MemoryPool<byte>? pool = null)
        : this(socket, new NetworkStream(socket, ownsSocket: true), pool)
    {
    }

    /// <summary>A channel over <paramref name="stream"/> (e.g. an authenticated <c>SslStream</c>) that owns <paramref name="socket"/>.</summary>
    /// <param name="pool">Where the read and write segments come from; null for <see cref="MemoryPool{T}.Shared"/>.</param>
    public MqttPacketChannel(Socket socket, Stream stream, MemoryPool<byte>? pool = null)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = stream;
        // Wait for data with an empty buffer and rent the segment only when there is something to read; a fully
        // consumed segment goes back to the pool at AdvanceTo. Over a plain socket the channel waits itself
        // (WaitForBytesAsync), because a zero-byte socket read on Linux can complete with nothing to read; over TLS
        // the pipe's own zero-byte read goes to SslStream, which reads the record into its own buffer.
        _waitsOnSocket = stream is NetworkStream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(pool, SegmentSize, MinimumReadSize, leaveOpen: false, useZeroByteReads: !_waitsOnSocket));
        // The writer returns its segments to the pool at each flush, so between packets it holds none either.
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(pool, SegmentSize, leaveOpen: false));
    }

    /// <summary>Version used to decode and encode; fixed once CONNECT is read (server) or sent (client).</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>Largest packet this side accepts (our own Maximum Packet Size, MQTT 5.0 §3.1.2.11.4).</summary>
    public uint MaximumIncomingPacketSize { get; set; } = MqttVariableByteInteger.MaxValue + 5;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public string RemoteEndPoint => _socket.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>Returns the next packet, or null when the peer closed the stream cleanly between packets.</summary>
    /// <exception cref="MqttProtocolException">The bytes are not a valid packet.</exception>
    public async ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_pipeEmpty && _waitsOnSocket)
            {
                await WaitForBytesAsync(cancellationToken).ConfigureAwait(false);
            }

            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition consumed = buffer.Start;
            SequencePosition examined = buffer.End;
            try
            {
                if (TryParse(buffer, out MqttPacket? packet, out SequencePosition end))
                {
                    consumed = end;
                    examined = end;
                    _pipeEmpty = buffer.End.Equals(end);
                    return packet;
                }

                _pipeEmpty = buffer.IsEmpty;

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        MqttThrowHelper.ThrowMalformed("Connection closed in the middle of a packet (MQTT 5.0 §4.13).");
                    }

                    return null;
                }
            }
            finally
            {
                _reader.AdvanceTo(consumed, examined);
            }
        }
    }

    /// <summary>
    /// Waits, holding no buffer, until the socket has bytes to read or has been closed. The runtime completes a
    /// pending zero-byte read on the socket's readiness event without checking it (dotnet/corefx#28098), and an event
    /// left from bytes already read can wake it with nothing there; the pipe would then rent a segment and hold it
    /// for as long as the device stays quiet. Poll (readable: bytes, end of stream or error) tells the two apart.
    /// </summary>
    private async ValueTask WaitForBytesAsync(CancellationToken cancellationToken)
    {
        for (int wake = 0; wake < SpuriousWakeLimit; wake++)
        {
            await _stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            if (IsReadable())
            {
                return;
            }
        }
    }

    private bool IsReadable()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Let the pipe's read report the closed socket.
            return true;
        }
    }

    private bool TryParse(in ReadOnlySequence<byte> buffer, out MqttPacket? packet, out SequencePosition end)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!MqttFrameReader.TryReadFrame(ref reader, MaximumIncomingPacketSize, out byte fixedHeader, out ReadOnlySequence<byte> body))
        {
            packet = null;
            end = buffer.Start;
            return false;
        }

        packet = MqttPacketDecoder.Decode(fixedHeader, body, ProtocolVersion);
        end = reader.Position;
        return true;
    }

    /// <summary>Encodes and flushes one packet. Throws <see cref="IOException"/> or <see cref="ObjectDisposedException"/> when the connection is gone.</summary>
    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken = default) => SendAsync(packet, flush: true, cancellationToken);

    /// <summary>
    /// Encodes one packet and, when <paramref name="flush"/> is false, leaves it buffered so that a run of
    /// acknowledgements goes out in one socket write. The caller must call <see cref="FlushAsync"/> (or send with
    /// flush) before it waits for anything.
    /// </summary>
    public async ValueTask SendAsync(MqttPacket packet, bool flush, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            _encoder.Encode(packet, ProtocolVersion, _writer);
            if (flush)
            {
                await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes out whatever <see cref="SendAsync(MqttPacket, bool, CancellationToken)"/> left buffered.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask FlushCoreAsync(CancellationToken cancellationToken)
    {
        FlushResult result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("The peer stopped reading.");
        }
    }

    /// <summary>Sends without ever throwing; for best-effort DISCONNECT / CONNACK before a close (MQTT 5.0 §4.13).</summary>
    public async ValueTask TrySendAsync(MqttPacket packet, TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await SendAsync(packet, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            // The connection is being closed anyway.
        }
    }

    /// <summary>Closes the socket at once; pending reads complete.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        _socket.Close();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort();
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Flushing to a closed socket.
        }
        finally
        {
            _writeLock.Release();
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
