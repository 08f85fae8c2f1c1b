using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Salted password hashes for the broker's credentials file (docs/mqtt.md, "Credentials file").
/// Encoded form: <c>$pbkdf2-sha256${iterations}${salt}${hash}</c>, salt and hash in standard Base64;
/// PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2), a random 16-byte salt per hash and a 32-byte derived key.
/// One credentials line is <c>{username}:{encoded hash}</c>.
/// </summary>
public static class MqttPasswordHash
{
    /// <summary>Iterations used by <see cref="Create"/> when none are given.</summary>
    public const int DefaultIterations = 100_000;

    internal const string Scheme = "pbkdf2-sha256";
    internal const int SaltSize = 16;
    internal const int HashSize = 32;

    // Bounds on what a credentials file may ask for: below the minimum a hash is too cheap to guess against; above the
    // maximum one CONNECT would hold a thread for seconds.
    internal const int MinimumIterations = 1_000;
    internal const int MaximumIterations = 5_000_000;

    /// <summary>Hashes <paramref name="password"/> (UTF-8) with a fresh random salt.</summary>
    /// <param name="password">The password; never stored or logged.</param>
    /// <param name="iterations">PBKDF2 iteration count, between 1,000 and 5,000,000.</param>
    /// <returns>The encoded hash, <c>$pbkdf2-sha256$…</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is out of range.</exception>
    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaximumIterations);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltSize);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashSize);
        return Format(iterations, salt, hash);
    }

    /// <summary>One line of the credentials file: <c>{username}:{encoded hash}</c>.</summary>
    /// <exception cref="ArgumentException">The username is empty or contains ':' or a line break.</exception>
    public static string CreateLine(string username, string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (!MqttCredentialStore.IsValidUsername(username))
        {
            throw new ArgumentException("A username must be non-empty and contain no ':', whitespace or control characters.", nameof(username));
        }

        return username + ":" + Create(password, iterations);
    }

    /// <summary>Checks a password against an encoded hash in constant time; false when the hash is not well formed.</summary>
    public static bool Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(encodedHash);
        return TryParse(encodedHash, out MqttPasswordHashValue value, out _) && value.Matches(Encoding.UTF8.GetBytes(password));
    }

    internal static string Format(int iterations, byte[] salt, byte[] hash) =>
        $"${Scheme}${iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";

    /// <summary>Parses <c>$pbkdf2-sha256$iterations$salt$hash</c>; <paramref name="error"/> says what is wrong (never echoes the hash).</summary>
    internal static bool TryParse(string encoded, out MqttPasswordHashValue value, out string? error)
    {
        value = default;
        // "$a$b$c$d" splits into ["", a, b, c, d].
        string[] parts = encoded.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0)
        {
            error = "expected $pbkdf2-sha256$iterations$salt$hash";
            return false;
        }

        if (!string.Equals(parts[1], Scheme, StringComparison.Ordinal))
        {
            error = $"unknown hash scheme '{parts[1]}' (only {Scheme})";
            return false;
        }

        if (!int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int iterations)
            || iterations < MinimumIterations || iterations > MaximumIterations)
        {
            error = $"iterations must be a number from {MinimumIterations} to {MaximumIterations}";
            return false;
        }

        byte[] salt;
        byte[] hash;
        try
        {
            salt = Convert.FromBase64String(parts[3]);
            hash = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            error = "salt and hash must be Base64";
            return false;
        }

        if (salt.Length < 8 || hash.Length != HashSize)
        {
            error = $"salt must be at least 8 bytes and hash {HashSize} bytes";
            return false;
        }

        value = new MqttPasswordHashValue(iterations, salt, hash);
        error = null;
        return true;
    }
}
