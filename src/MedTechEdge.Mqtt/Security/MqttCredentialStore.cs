using System.Text;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Username/password hashes read from a credentials file, one user per line:
/// <c>{username}:$pbkdf2-sha256${iterations}${salt}${hash}</c>. Blank lines and lines starting with '#' are skipped.
/// Every error in the file is reported at once with its line number; no line content (hash material) is echoed.
/// </summary>
internal sealed class MqttCredentialStore
{
    private readonly Dictionary<string, MqttPasswordHashValue> _users;

    // Checked against when the username is unknown, so that an unknown user costs the same PBKDF2 work as a known one
    // and response time does not reveal which usernames exist.
    private readonly MqttPasswordHashValue _decoy;

    private MqttCredentialStore(Dictionary<string, MqttPasswordHashValue> users)
    {
        _users = users;
        int iterations = MqttPasswordHash.DefaultIterations;
        foreach (MqttPasswordHashValue value in users.Values)
        {
            iterations = value.Iterations;
            break;
        }

        _decoy = new MqttPasswordHashValue(iterations, new byte[MqttPasswordHash.SaltSize], new byte[MqttPasswordHash.HashSize]);
    }

    public int Count => _users.Count;

    public static MqttCredentialStore Load(string path)
    {
        string text = File.ReadAllText(path, Encoding.UTF8);
        return Parse(text, path);
    }

    /// <exception cref="FormatException">The text has errors; the message lists each with its line number.</exception>
    public static MqttCredentialStore Parse(string text, string sourceName)
    {
        var users = new Dictionary<string, MqttPasswordHashValue>(StringComparer.Ordinal);
        var errors = new List<string>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int lineNumber = i + 1;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.Add($"line {lineNumber}: expected username:$pbkdf2-sha256$iterations$salt$hash");
                continue;
            }

            string username = line[..colon];
            if (!IsValidUsername(username))
            {
                errors.Add($"line {lineNumber}: invalid username");
            }
            else if (!MqttPasswordHash.TryParse(line[(colon + 1)..], out MqttPasswordHashValue value, out string? error))
            {
                errors.Add($"line {lineNumber}: {error}");
            }
            else if (!users.TryAdd(username, value))
            {
                errors.Add($"line {lineNumber}: duplicate username '{username}'");
            }
        }

        if (errors.Count > 0)
        {
            throw new FormatException($"Credentials file '{sourceName}' has {errors.Count} error(s):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        }

        return new MqttCredentialStore(users);
    }

    /// <summary>True when <paramref name="username"/> exists and <paramref name="password"/> matches its hash.</summary>
    public bool Verify(string username, ReadOnlySpan<byte> password)
    {
        if (_users.TryGetValue(username, out MqttPasswordHashValue value))
        {
            return value.Matches(password);
        }

        _ = _decoy.Matches(password);
        return false;
    }

    /// <summary>Non-empty, no ':' (the separator), no whitespace or control characters (the file is line based).</summary>
    public static bool IsValidUsername(string username)
    {
        if (username.Length == 0)
        {
            return false;
        }

        foreach (char c in username)
        {
            if (c == ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
