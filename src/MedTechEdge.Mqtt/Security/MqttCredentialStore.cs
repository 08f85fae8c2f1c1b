using System.Text;

namespace MedTechEdge.Mqtt.Security;

/// <summary>
/// Username/password hashes read from a credentials file, one user per line:
/// <c>{username}:$pbkdf2-sha256${iterations}${salt}${hash}</c>, optionally followed by
/// <c>:devices={id-or-pattern},{id-or-pattern}…</c>, the further device ids the user may speak for (docs/mqtt.md,
/// "Credentials file"). Blank lines and lines starting with '#' are skipped. Every error in the file is reported at
/// once with its line number; no line content (hash material) is echoed.
/// </summary>
internal sealed class MqttCredentialStore
{
    private const string DevicesOption = "devices=";

    private readonly Dictionary<string, MqttCredential> _users;

    // Checked against when the username is unknown, so that an unknown user costs the same PBKDF2 work as a known one
    // and response time does not reveal which usernames exist.
    private readonly MqttPasswordHashValue _decoy;

    private MqttCredentialStore(Dictionary<string, MqttCredential> users)
    {
        _users = users;
        int iterations = MqttPasswordHash.DefaultIterations;
        foreach (MqttCredential credential in users.Values)
        {
            iterations = credential.Hash.Iterations;
            break;
        }

        _decoy = new MqttPasswordHashValue(iterations, new byte[MqttPasswordHash.SaltSize], new byte[MqttPasswordHash.HashSize]);
    }

    public int Count => _users.Count;

    /// <summary>A hash no password matches, with the file's iteration count: what an unknown user is checked against.</summary>
    public MqttPasswordHashValue Decoy => _decoy;

    public static MqttCredentialStore Load(string path)
    {
        string text = File.ReadAllText(path, Encoding.UTF8);
        return Parse(text, path);
    }

    /// <exception cref="FormatException">The text has errors; the message lists each with its line number.</exception>
    public static MqttCredentialStore Parse(string text, string sourceName)
    {
        var users = new Dictionary<string, MqttCredential>(StringComparer.Ordinal);
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
            // The hash is Base64 and '$'-separated, so a second ':' can only start the optional device list.
            string rest = line[(colon + 1)..];
            int optionsColon = rest.IndexOf(':', StringComparison.Ordinal);
            string encodedHash = optionsColon < 0 ? rest : rest[..optionsColon];
            if (!IsValidUsername(username))
            {
                errors.Add($"line {lineNumber}: invalid username");
            }
            else if (!MqttPasswordHash.TryParse(encodedHash, out MqttPasswordHashValue value, out string? error))
            {
                errors.Add($"line {lineNumber}: {error}");
            }
            else if (!TryParseDeviceIds(optionsColon < 0 ? null : rest[(optionsColon + 1)..], out string[] deviceIds, out error))
            {
                errors.Add($"line {lineNumber}: {error}");
            }
            else if (!users.TryAdd(username, new MqttCredential(value, deviceIds)))
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

    /// <summary>The user's entry, or false for an unknown user name.</summary>
    public bool TryGet(string username, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MqttCredential? credential) =>
        _users.TryGetValue(username, out credential);

    /// <summary>True when <paramref name="username"/> exists and <paramref name="password"/> matches its hash (runs PBKDF2 inline).</summary>
    public bool Verify(string username, ReadOnlySpan<byte> password)
    {
        if (_users.TryGetValue(username, out MqttCredential? credential))
        {
            return credential.Hash.Matches(password);
        }

        _ = _decoy.Matches(password);
        return false;
    }

    /// <summary>
    /// The optional part after the hash: <c>devices=a,b,c*</c>. Entries are device ids, or patterns where <c>*</c>
    /// stands for any run of characters; they may not be empty or hold whitespace, control characters or ':'.
    /// </summary>
    private static bool TryParseDeviceIds(string? options, out string[] deviceIds, out string? error)
    {
        deviceIds = [];
        error = null;
        if (options is null)
        {
            return true;
        }

        if (!options.StartsWith(DevicesOption, StringComparison.Ordinal))
        {
            error = "after the hash only ':devices=id,id,pattern*' may follow";
            return false;
        }

        string[] entries = options[DevicesOption.Length..].Split(',');
        foreach (string entry in entries)
        {
            if (!IsValidUsername(entry))
            {
                error = "devices= needs a comma-separated list of non-empty ids or patterns without whitespace";
                return false;
            }
        }

        deviceIds = entries;
        return true;
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
