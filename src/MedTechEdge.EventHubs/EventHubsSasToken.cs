using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.EventHubs;

/// <summary>
/// Shared access signatures for Event Hubs (learn.microsoft.com/rest/api/eventhub/generate-sas-token): the string to
/// sign is the URL-encoded resource URI, a newline and the expiry in seconds since 1970; the HMAC-SHA256 key is the
/// UTF-8 bytes of the key string as given (unlike IoT Hub, which signs with the base64-decoded key).
/// </summary>
public static class EventHubsSasToken
{
    /// <summary>
    /// <c>SharedAccessSignature sr={uri}&amp;sig={signature}&amp;se={expiry}&amp;skn={policy}</c>, valid until
    /// <paramref name="expiresUtc"/>.
    /// </summary>
    public static string Create(Uri resourceUri, string keyName, string key, DateTimeOffset expiresUtc)
    {
        ArgumentNullException.ThrowIfNull(resourceUri);
        ArgumentNullException.ThrowIfNull(keyName);
        ArgumentNullException.ThrowIfNull(key);
        string resource = Uri.EscapeDataString(resourceUri.AbsoluteUri);
        string expiry = expiresUtc.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(resource + "\n" + expiry));
        return $"SharedAccessSignature sr={resource}&sig={Uri.EscapeDataString(Convert.ToBase64String(signature))}&se={expiry}&skn={Uri.EscapeDataString(keyName)}";
    }
}
