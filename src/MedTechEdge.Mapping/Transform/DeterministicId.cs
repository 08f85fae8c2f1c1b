using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Lower-case hex SHA-256 of a text: the logical ids the managed service derives, so that a replay or
/// a concurrent writer produces the same id instead of a second resource (medtech-semantics §5.2, §8).
/// </summary>
public static class DeterministicId
{
    // One hasher per thread, reused: the one-shot API sets up and tears down a native context per call,
    // which costs more than hashing the ~150 bytes of an Observation identifier.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>The id for <paramref name="text"/>.</summary>
    public static string For(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return For(string.Empty, text);
    }

    /// <summary>The id for <paramref name="prefix"/> followed by <paramref name="text"/>, without joining them first.</summary>
    public static string For(string prefix, string text)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(text);
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha256, prefix);
        return Finish(sha256, text);
    }

    /// <summary>The same with the prefix already in UTF-8 (a constant, encoded once by the caller).</summary>
    public static string For(ReadOnlySpan<byte> utf8Prefix, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(utf8Prefix);
        return Finish(sha256, text);
    }

    /// <summary>The id for text already in UTF-8: one call into the hasher.</summary>
    public static string For(ReadOnlySpan<byte> utf8)
    {
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(utf8);
        return Digest(sha256);
    }

    private static string Finish(IncrementalHash sha256, string text)
    {
        try
        {
            Append(sha256, text);
        }
        catch
        {
            // Never leave half a message in the thread's hasher for the next id.
            t_sha256 = null;
            sha256.Dispose();
            throw;
        }

        return Digest(sha256);
    }

    private static string Digest(IncrementalHash sha256)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha256.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    private static void Append(IncrementalHash sha256, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[512];
        int length = Encoding.UTF8.GetBytes(text, utf8);
        sha256.AppendData(utf8[..length]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Patient id in Create mode: <c>sha256("_" + patientId)</c>.</summary>
    public static string ForPatient(string patientId) => For("_", patientId ?? string.Empty);

    /// <summary>Device id in Create mode: <c>sha256((system ?? "") + "_" + deviceId)</c>.</summary>
    public static string ForDevice(string deviceId, string? system = null) => For((system ?? string.Empty) + "_", deviceId ?? string.Empty);
}
