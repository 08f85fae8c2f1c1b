using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Lower-case hex SHA-256 of a text: the logical ids the managed service derives, so that a replay or
/// a concurrent writer produces the same id instead of a second resource (medtech-semantics §5.2, §8).
/// </summary>
public static class DeterministicId
{
    // Fallback where libcrypto's digest functions are not there: one hasher per thread, reused (the one-shot API
    // sets up and tears down a native context per call, which costs more than hashing ~150 bytes).
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static readonly byte[] s_idPrefixUtf8 = Encoding.UTF8.GetBytes(ObservationWriter.IdPrefix);

    /// <summary>The id for <paramref name="text"/>.</summary>
    public static string For(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return For(ReadOnlySpan<byte>.Empty, text);
    }

    /// <summary>The id for <paramref name="prefix"/> followed by <paramref name="text"/>, without joining them as strings.</summary>
    public static string For(string prefix, string text)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(text);
        int max = Encoding.UTF8.GetMaxByteCount(prefix.Length);
        byte[]? rented = max > 256 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[256];
        string id = For(utf8[..Encoding.UTF8.GetBytes(prefix, utf8)], text);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return id;
    }

    /// <summary>The same with the prefix already in UTF-8 (a constant, encoded once by the caller).</summary>
    public static string For(ReadOnlySpan<byte> utf8Prefix, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int max = utf8Prefix.Length + Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[512];
        utf8Prefix.CopyTo(utf8);
        int length = utf8Prefix.Length + Encoding.UTF8.GetBytes(text, utf8[utf8Prefix.Length..]);
        string id = For(utf8[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return id;
    }

    /// <summary>The id for text already in UTF-8.</summary>
    public static string For(ReadOnlySpan<byte> utf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (!LibcryptoSha256.TryHash(utf8, hash))
        {
            IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha256.AppendData(utf8);
            sha256.GetHashAndReset(hash);
        }

        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// The id of the Observation whose identifier value is <paramref name="identifierUtf8"/> (the hash of
    /// <see cref="ObservationWriter.IdPrefix"/> and the value), its 64 hex digits also written to <paramref name="hexUtf8"/>:
    /// the writer hashes the identifier where it wrote it into the JSON, and puts the id in its place there.
    /// </summary>
    internal static string ForObservation(ReadOnlySpan<byte> identifierUtf8, Span<byte> hexUtf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (!LibcryptoSha256.TryHashAfterIdPrefix(identifierUtf8, hash))
        {
            IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha256.AppendData(s_idPrefixUtf8);
            sha256.AppendData(identifierUtf8);
            sha256.GetHashAndReset(hash);
        }

        Convert.TryToHexStringLower(hash, hexUtf8, out int written);
        return Encoding.ASCII.GetString(hexUtf8[..written]);
    }

    /// <summary>Patient id in Create mode: <c>sha256("_" + patientId)</c>.</summary>
    public static string ForPatient(string patientId) => For("_", patientId ?? string.Empty);

    /// <summary>Device id in Create mode: <c>sha256((system ?? "") + "_" + deviceId)</c>.</summary>
    public static string ForDevice(string deviceId, string? system = null) => For((system ?? string.Empty) + "_", deviceId ?? string.Empty);
}
