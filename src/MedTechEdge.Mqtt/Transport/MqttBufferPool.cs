using System.Buffers;

namespace MedTechEdge.Mqtt.Transport;

/// <summary>
/// The memory pool of the broker's connections (their pipe segments, read and write), over
/// <see cref="ArrayPool{T}.Shared"/>, counting what is rented and not yet returned. With 10,000 devices connected the
/// count is the memory the connections hold between packets, which must stay near zero: an idle connection waits on
/// a zero-byte read and owns no segment (<see cref="MqttPacketChannel"/>).
/// </summary>
internal sealed class MqttBufferPool : MemoryPool<byte>
{
    private long _rentedBytes;
    private long _rentedSegments;

    /// <summary>The size of a segment asked for without a size; the pipes always ask with one.</summary>
    public override int MaxBufferSize => 4096;

    /// <summary>Bytes rented now (array lengths, so a little above what was asked for).</summary>
    public long RentedBytes => Interlocked.Read(ref _rentedBytes);

    /// <summary>Segments rented now.</summary>
    public long RentedSegments => Interlocked.Read(ref _rentedSegments);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(minBufferSize < 0 ? MaxBufferSize : minBufferSize);
        Interlocked.Add(ref _rentedBytes, array.Length);
        Interlocked.Increment(ref _rentedSegments);
        return new Segment(this, array);
    }

    protected override void Dispose(bool disposing)
    {
        // Shared by every connection of a server for its whole life; the arrays belong to ArrayPool.Shared.
    }

    private void Return(byte[] array)
    {
        Interlocked.Add(ref _rentedBytes, -array.Length);
        Interlocked.Decrement(ref _rentedSegments);
        ArrayPool<byte>.Shared.Return(array);
    }

    /// <summary>One rented array; returned once, on the first Dispose (the pipes dispose each segment once).</summary>
    private sealed class Segment(MqttBufferPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Segment));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } rented)
            {
                pool.Return(rented);
            }
        }
    }
}
