using System.Buffers;

namespace MedTechEdge.Fhir.Buffers;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>,
/// so building a Bundle per batch allocates nothing once the pool is warm.
/// </summary>
/// <remarks>
/// Ownership: the writer owns the rented array until <see cref="Dispose"/>. <see cref="WrittenMemory"/>
/// is a view of it, valid until the next write that grows the buffer, <see cref="Clear"/> or
/// <see cref="Dispose"/>. Arrays go back to the pool uncleared: readers only ever see the
/// <c>[0, WrittenCount)</c> prefix they wrote themselves, and the pool is process-local (the same bytes
/// sit in HttpClient's buffers anyway), so zeroing would cost a pass over every Bundle for nothing.
/// </remarks>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int DefaultInitialCapacity = 4096;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = DefaultInitialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        // One unsigned compare rejects both negative counts and overruns.
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(count), "Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets the written bytes and keeps the array for reuse.</summary>
    public void Clear() => _written = 0;

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (sizeHint <= _buffer.Length - _written)
        {
            return;
        }

        // Double (amortized O(1) appends), or more if one write needs it.
        int newSize = Math.Max(checked(_buffer.Length * 2), checked(_written + sizeHint));
        byte[] larger = ArrayPool<byte>.Shared.Rent(newSize);
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
