using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.Mapping.Transform;

/// <summary>
/// SHA-256 through OpenSSL's plain digest functions (<c>SHA256_Init/Update/Final</c> over a context on the stack),
/// for the short texts ids are made of. .NET reaches the same library through its EVP interface, whose per-hash
/// bookkeeping (context reset, error-queue clearing, frees and allocations) costs several times the three or so
/// blocks an Observation identifier hashes; the digest itself is the same. Observation ids all start with the same
/// 64-byte block (the service system), so the state after that block is computed once and copied.
/// </summary>
/// <remarks>
/// Only on Linux, where .NET itself needs libcrypto; anywhere the library or the functions are missing, or the
/// start-up self-test against .NET's SHA-256 disagrees, <see cref="IsAvailable"/> is false and callers use .NET's.
/// </remarks>
internal static class LibcryptoSha256
{
    private const string Library = "libcrypto.so.3";
    private const int BlockBytes = 64;

    // SHA256_CTX is 112 bytes in OpenSSL 1.1 and 3.x (eight state words, the bit count, one block, two counters);
    // the context lives in a larger buffer so that a different layout cannot write past it.
    private const int ContextBytes = 256;

    private static readonly byte[] s_firstBlock = new byte[BlockBytes];
    private static readonly byte[] s_stateAfterFirstBlock = new byte[ContextBytes];
    private static readonly bool s_prefixIsOneBlock = Encoding.UTF8.GetByteCount(ObservationWriter.IdPrefix) == BlockBytes;

    static LibcryptoSha256()
    {
        byte[] prefix = Encoding.UTF8.GetBytes(ObservationWriter.IdPrefix);
        if (!OperatingSystem.IsLinux() || prefix.Length < BlockBytes)
        {
            return;
        }

        try
        {
            prefix.AsSpan(0, BlockBytes).CopyTo(s_firstBlock);
            if (Sha256Init(ref s_stateAfterFirstBlock[0]) != 1 || Sha256Update(ref s_stateAfterFirstBlock[0], ref s_firstBlock[0], BlockBytes) != 1)
            {
                return;
            }

            IsAvailable = SelfTest(prefix);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            IsAvailable = false;
        }
    }

    /// <summary>True when <see cref="TryHash"/> hashes; false when callers must use .NET's SHA-256.</summary>
    public static bool IsAvailable { get; private set; }

    /// <summary>The SHA-256 of <paramref name="data"/> into <paramref name="hash"/> (32 bytes); false when unavailable.</summary>
    public static bool TryHash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        if (!IsAvailable || hash.Length < SHA256.HashSizeInBytes)
        {
            return false;
        }

        Hash(data, hash);
        return true;
    }

    /// <summary>
    /// The SHA-256 of <see cref="ObservationWriter.IdPrefix"/> followed by <paramref name="suffix"/> into <paramref name="hash"/>,
    /// from the state after the prefix, so the writer hashes an identifier where it wrote it; false when unavailable.
    /// </summary>
    public static bool TryHashAfterIdPrefix(ReadOnlySpan<byte> suffix, Span<byte> hash)
    {
        // The cached state is the state after the whole prefix only because the prefix is exactly one block.
        if (!IsAvailable || !s_prefixIsOneBlock || hash.Length < SHA256.HashSizeInBytes)
        {
            return false;
        }

        Span<byte> context = stackalloc byte[ContextBytes];
        s_stateAfterFirstBlock.CopyTo(context);
        Finish(context, suffix, hash);
        return true;
    }

    private static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        Span<byte> context = stackalloc byte[ContextBytes];
        if (data.Length >= BlockBytes && data[..BlockBytes].SequenceEqual(s_firstBlock))
        {
            s_stateAfterFirstBlock.CopyTo(context);
            data = data[BlockBytes..];
        }
        else
        {
            Sha256Init(ref context[0]);
        }

        Finish(context, data, hash);
    }

    private static void Finish(Span<byte> context, ReadOnlySpan<byte> data, Span<byte> hash)
    {
        if (!data.IsEmpty)
        {
            Sha256Update(ref context[0], ref MemoryMarshal.GetReference(data), (nuint)data.Length);
        }

        Sha256Final(ref hash[0], ref context[0]);
    }

    // Both paths (from the cached first block and from the start), at lengths around the block and padding edges.
    private static bool SelfTest(byte[] prefix)
    {
        Span<byte> ours = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> theirs = stackalloc byte[SHA256.HashSizeInBytes];
        byte[] sample = [.. prefix, .. "patient.device.type.20261121170000Z.20261121170000Z"u8, .. new byte[200]];
        ReadOnlySpan<int> lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 129, 200];
        foreach (int length in lengths)
        {
            for (int start = 0; start <= 1; start++)
            {
                ReadOnlySpan<byte> data = sample.AsSpan(start, Math.Min(length + (start == 0 ? prefix.Length : 0), sample.Length - start));
                Hash(data, ours);
                SHA256.HashData(data, theirs);
                if (!ours.SequenceEqual(theirs))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [DllImport(Library, EntryPoint = "SHA256_Init")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Sha256Init(ref byte context);

    [DllImport(Library, EntryPoint = "SHA256_Update")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Sha256Update(ref byte context, ref byte data, nuint length);

    [DllImport(Library, EntryPoint = "SHA256_Final")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Sha256Final(ref byte hash, ref byte context);
}
