using System.Security.Cryptography;
using System.Text;
using MedTechEdge.EventHubs;

namespace MedTechEdge.EventHubs.Tests;

public sealed class EventHubsSasTokenTests
{
    [Fact]
    public void The_Token_Signs_The_Encoded_Uri_And_Expiry_With_The_Keys_Utf8_Bytes()
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        string token = EventHubsSasToken.Create(new Uri("https://contoso.servicebus.windows.net/vitals"), "send", "key+with/slash=", expires);

        // learn.microsoft.com/rest/api/eventhub/generate-sas-token: sr is the URL-encoded URI, se the expiry in Unix
        // seconds, the signature HMAC-SHA256 of "sr\nse" keyed with the key string's UTF-8 bytes (not base64-decoded).
        const string sr = "https%3A%2F%2Fcontoso.servicebus.windows.net%2Fvitals";
        string sig = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("key+with/slash="), Encoding.UTF8.GetBytes(sr + "\n1800000000")));
        Assert.Equal($"SharedAccessSignature sr={sr}&sig={Uri.EscapeDataString(sig)}&se=1800000000&skn=send", token);
    }
}
