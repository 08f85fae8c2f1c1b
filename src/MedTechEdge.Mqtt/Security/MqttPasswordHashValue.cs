using System.Security.Cryptography;

namespace MedTechEdge.Mqtt.Security;

/// <summary>A parsed hash; <see cref="Matches"/> derives the key from a candidate password and compares in constant time.</summary>
internal readonly record struct MqttPasswordHashValue(int Iterations, byte[] Salt, byte[] Hash)
{
    public bool Matches(ReadOnlySpan<byte> password)
    {
        Span<byte> derived = stackalloc byte[MqttPasswordHash.HashSize];
        Rfc2898DeriveBytes.Pbkdf2(password, Salt, derived, Iterations, HashAlgorithmName.SHA256);
        // Constant time, so the response time says nothing about how many leading bytes matched.
        return CryptographicOperations.FixedTimeEquals(derived, Hash);
    }
}
