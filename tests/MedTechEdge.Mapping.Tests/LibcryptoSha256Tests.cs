using System.Security.Cryptography;
using System.Text;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Mapping.Tests;

/// <summary>
/// The ids' SHA-256 taken through libcrypto's plain digest functions, with the service system's block hashed once:
/// the same digest as .NET's for every length and start, and the one ids actually use on Linux.
/// </summary>
public sealed class LibcryptoSha256Tests
{
    private const string ServiceSystemPrefix = "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/_";

    [Fact]
    public void On_Linux_Ids_Are_Hashed_By_Libcrypto_Directly()
    {
        // .NET on Linux needs libcrypto itself, so there is no Linux where the faster path may be missing.
        Assert.Equal(OperatingSystem.IsLinux(), LibcryptoSha256.IsAvailable);
    }

    [Fact]
    public void Every_Length_With_And_Without_The_Service_Prefix_Hashes_As_Dotnet_Does()
    {
        var random = new Random(16);
        byte[] prefix = Encoding.UTF8.GetBytes(ServiceSystemPrefix);
        Span<byte> ours = stackalloc byte[32];
        for (int length = 0; length <= 300; length++)
        {
            byte[] tail = new byte[length];
            random.NextBytes(tail);
            foreach (byte[] data in new[] { tail, [.. prefix, .. tail], [.. prefix.AsSpan(0, 63), .. tail], [(byte)'x', .. prefix.AsSpan(1), .. tail] })
            {
                if (LibcryptoSha256.TryHash(data, ours))
                {
                    Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(ours));
                }

                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), DeterministicId.For(data));
            }
        }
    }

    [Fact]
    public async Task Threads_Hashing_At_Once_Never_See_Each_Others_State()
    {
        byte[][] inputs = [.. Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes(ServiceSystemPrefix + "p.d.heartrate." + i))];
        string[] expected = [.. inputs.Select(i => Convert.ToHexStringLower(SHA256.HashData(i)))];

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int round = 0; round < 500; round++)
            {
                for (int i = 0; i < inputs.Length; i++)
                {
                    Assert.Equal(expected[i], DeterministicId.For(inputs[i]));
                }
            }
        })));
    }
}
