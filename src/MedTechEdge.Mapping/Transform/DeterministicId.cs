using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// Lower-case hex SHA-256 of a text: the logical ids the managed service derives, so that a replay or
/// a concurrent writer produces the same id instead of a second resource (medtech-compat §7.2, §8).
/// </summary>
public static class DeterministicId
{
    /// <summary>The id for <paramref name="text"/>.</summary>
    public static string For(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > 512 ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[512];
        try
        {
            int length = Encoding.UTF8.GetBytes(text, utf8);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..length], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Patient id in Create mode: <c>sha256("_" + patientId)</c>.</summary>
    public static string ForPatient(string patientId) => For("_" + patientId);

    /// <summary>Device id in Create mode: <c>sha256((system ?? "") + "_" + deviceId)</c>.</summary>
    public static string ForDevice(string deviceId, string? system = null) => For((system ?? string.Empty) + "_" + deviceId);
}
