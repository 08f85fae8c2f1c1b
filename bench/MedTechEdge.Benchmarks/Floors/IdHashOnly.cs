using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MedTechEdge.Benchmarks.Engine;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Benchmarks.Floors;

/// <summary>
/// The SHA-256 the transform cannot skip: the Observation ids of one message are the hex SHA-256 of the service
/// system, <c>_</c> and the identifier value (medtech-semantics §5.2). These are exactly the bytes the engine
/// hashes for the message, taken from its own output, hashed on their own.
/// </summary>
internal sealed class IdHashOnly
{
    private readonly byte[][] _identities;
    private readonly IncrementalHash _dotnet = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Runs <paramref name="engine"/> once and keeps what each of its Observation ids hashes; checks that it does.</summary>
    public IdHashOnly(EnginePipeline engine)
    {
        engine.NormalizeAndTransform();
        var identities = new List<byte[]>();
        foreach (FhirResource resource in engine.Resources)
        {
            using JsonDocument observation = JsonDocument.Parse(resource.Json);
            JsonElement identifier = observation.RootElement.GetProperty("identifier")[0];
            byte[] identity = Encoding.UTF8.GetBytes(identifier.GetProperty("system").GetString() + "_" + identifier.GetProperty("value").GetString());
            if (Convert.ToHexStringLower(SHA256.HashData(identity)) != resource.Id)
            {
                throw new InvalidOperationException($"The id of Observation '{resource.Id}' is not the SHA-256 of its identifier: the floor would hash other bytes.");
            }

            identities.Add(identity);
        }

        _identities = [.. identities];
    }

    /// <summary>How many bytes one message's ids hash, in all.</summary>
    public int Bytes => _identities.Sum(i => i.Length);

    /// <summary>The ids with .NET's reused <see cref="IncrementalHash"/> (OpenSSL's EVP interface on Linux) and hex.</summary>
    public int DotNet()
    {
        int length = 0;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (byte[] identity in _identities)
        {
            _dotnet.AppendData(identity);
            _dotnet.GetHashAndReset(hash);
            length += Convert.ToHexStringLower(hash).Length;
        }

        return length;
    }

    /// <summary>The ids the way the engine computes them (<see cref="DeterministicId"/>).</summary>
    public int Engine()
    {
        int length = 0;
        foreach (byte[] identity in _identities)
        {
            length += DeterministicId.For(identity.AsSpan()).Length;
        }

        return length;
    }
}
