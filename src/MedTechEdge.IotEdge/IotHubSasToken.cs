using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MedTechEdge.IotEdge;

/// <summary>
/// IoT Hub shared access signatures for a module (learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas):
/// <c>sr</c> is the URL-encoded <c>{hub}/devices/{device}/modules/{module}</c>, the string to sign is <c>sr</c>, a
/// newline and the expiry in Unix seconds, and the HMAC-SHA256 key is the <b>base64-decoded</b> shared access key
/// (Event Hubs, by contrast, signs with the key string's bytes). Under IoT Edge the workload API signs instead.
/// </summary>
public static class IotHubSasToken
{
    /// <summary>The resource a module's token is for, URL-encoded as the SDKs send it (upper-case hex).</summary>
    public static string ModuleResource(string hubHostName, string deviceId, string moduleId)
    {
        ArgumentNullException.ThrowIfNull(hubHostName);
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(moduleId);
        return Encode($"{hubHostName}/devices/{Encode(deviceId)}/modules/{Encode(moduleId)}");
    }

    /// <summary>The string the signature covers: the encoded resource, a newline, the expiry.</summary>
    public static string StringToSign(string encodedResource, DateTimeOffset expiresUtc) =>
        encodedResource + "\n" + expiresUtc.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Signs with a shared access key given in base64, as the portal shows it.</summary>
    /// <exception cref="FormatException">The key is not base64.</exception>
    public static string Sign(string base64Key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The token from a signature: <c>SharedAccessSignature sr=…&amp;sig=…&amp;se=…</c> (and <c>&amp;skn=…</c> for a policy key).</summary>
    public static string Token(string encodedResource, string base64Signature, DateTimeOffset expiresUtc, string? keyName = null)
    {
        string token = $"SharedAccessSignature sr={encodedResource}&sig={Encode(base64Signature)}&se={expiresUtc.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        return keyName is null ? token : token + "&skn=" + Encode(keyName);
    }

    // WebUtility.UrlEncode writes upper-case hex (%2F, %3D), as both SDKs do; the same text is signed and sent.
    private static string Encode(string value) => WebUtility.UrlEncode(value);
}
