using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.TestPeers.EventHubsAmqp;

/// <summary>
/// Checks the tokens a client presents. A shared access signature, <c>SharedAccessSignature sr={resource}&amp;sig={signature}&amp;se={expiry}&amp;skn={key name}</c>,
/// is checked as Event Hubs does (learn.microsoft.com/azure/event-hubs/authenticate-shared-access-signature): the signature is
/// HMAC-SHA256, keyed by the UTF-8 bytes of the key, over the URL-encoded resource, a newline and the expiry in Unix
/// seconds; the resource must name the hub and the expiry must lie ahead. An Entra ID token (a JWT) is not parsed:
/// it must be the one bearer token the peer was configured with, which the test's credential hands out.
/// </summary>
internal sealed class TokenValidator(EventHubsAmqpPeerOptions options)
{
    private const string Prefix = "SharedAccessSignature ";

    /// <summary>Returns null when the token grants the hub, otherwise why it does not.</summary>
    public string? Validate(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return "not a shared access signature";
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in token[Prefix.Length..].Split('&'))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        if (!fields.TryGetValue("sr", out string? encodedResource) || !fields.TryGetValue("sig", out string? signature)
            || !fields.TryGetValue("se", out string? expiry) || !fields.TryGetValue("skn", out string? keyName))
        {
            return "a field of sr, sig, se, skn is missing";
        }

        if (keyName != options.KeyName)
        {
            return $"unknown key name '{keyName}'";
        }

        if (!long.TryParse(expiry, out long expirySeconds) || expirySeconds <= options.Clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return "expired";
        }

        string resource = WebUtility.UrlDecode(encodedResource);
        if (!NamesHub(resource))
        {
            return $"the audience '{resource}' is not the hub '{options.Hub}'";
        }

        // The SDKs sign the resource as they encoded it; the signature arrives URL-encoded too.
        byte[] expected = HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(options.Key), Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry));
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(WebUtility.UrlDecode(signature));
        }
        catch (FormatException)
        {
            return "the signature is not base64";
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual) ? null : "the signature does not match the key";
    }

    /// <summary>
    /// Returns null when <paramref name="token"/> is the peer's configured bearer token (compared in constant time),
    /// otherwise why not.
    /// </summary>
    public string? ValidateBearer(string? token)
    {
        if (options.BearerToken is null)
        {
            return "no Entra ID token is accepted here";
        }

        return token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(options.BearerToken))
            ? null
            : "the bearer token is not the one this hub accepts";
    }

    /// <summary>A management request's token: a shared access signature, or with no SAS prefix a bearer token.</summary>
    public string? ValidateAny(string? token) =>
        token is not null && !token.StartsWith(Prefix, StringComparison.Ordinal) && options.BearerToken is not null
            ? ValidateBearer(token)
            : Validate(token);

    /// <summary>True when an audience such as <c>amqp://127.0.0.1/HUB</c> or <c>sb://host/HUB/Partitions/0</c> names the hub.</summary>
    public bool NamesHub(string? audience)
    {
        if (!Uri.TryCreate(audience, UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        string path = uri.AbsolutePath.Trim('/');
        return path.Equals(options.Hub, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(options.Hub + "/", StringComparison.OrdinalIgnoreCase);
    }
}
