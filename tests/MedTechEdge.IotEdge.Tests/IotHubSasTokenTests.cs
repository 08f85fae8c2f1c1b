using MedTechEdge.IotEdge;

namespace MedTechEdge.IotEdge.Tests;

public sealed class IotHubSasTokenTests
{
    [Fact]
    public void A_Module_Token_Matches_The_Cross_Checked_Vector()
    {
        // The vector in shared/research/protocols.md C.6, cross-checked there against azure-iot-common and an
        // independent HMAC: the key is base64-decoded before signing.
        var expires = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        string resource = IotHubSasToken.ModuleResource("myhub.azure-devices.net", "dev1", "mod1");
        string signature = IotHubSasToken.Sign("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", IotHubSasToken.StringToSign(resource, expires));

        Assert.Equal(
            "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev1%2Fmodules%2Fmod1&sig=ZId0CjYzILqd7GGIpC99uIpjPK4fJTkYbrDAh8qYiy8%3D&se=1700000000",
            IotHubSasToken.Token(resource, signature, expires));
    }

    [Fact]
    public void Ids_Are_Encoded_Inside_The_Resource_And_A_Policy_Adds_Its_Name()
    {
        string resource = IotHubSasToken.ModuleResource("hub.azure-devices.net", "bed/7", "medtech edge");
        Assert.Equal("hub.azure-devices.net%2Fdevices%2Fbed%252F7%2Fmodules%2Fmedtech%2Bedge", resource);
        Assert.EndsWith("&skn=iothubowner", IotHubSasToken.Token(resource, "c2ln", DateTimeOffset.FromUnixTimeSeconds(1), "iothubowner"), StringComparison.Ordinal);
    }
}
