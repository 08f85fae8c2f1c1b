using System.Security.Cryptography;
using System.Text;
using MedTechEdge.Mapping.Transform;

namespace MedTechEdge.Mapping.Tests;

/// <summary>Ids are lower-case hex SHA-256 of the UTF-8 text (medtech-semantics §5.2), however the text is passed in.</summary>
public sealed class DeterministicIdTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("_", "patient-1")]
    [InlineData("https://azure.microsoft.com/en-us/services/iomt-fhir-connector/_", "p.d.heartrate.20261121170000Z.20261121170000Z")]
    [InlineData("ü_", "日本語")]
    public void Parts_Hash_As_Their_Concatenation(string prefix, string text)
    {
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prefix + text)));

        Assert.Equal(expected, DeterministicId.For(prefix + text));
        Assert.Equal(expected, DeterministicId.For(prefix, text));
        Assert.Equal(expected, DeterministicId.For(Encoding.UTF8.GetBytes(prefix), text));
    }

    [Fact]
    public void Long_Texts_And_Repeated_Calls_Give_Stable_Ids()
    {
        string text = new('x', 5000);
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

        // The hasher is reused per thread: a second call must not see anything of the first.
        Assert.Equal(expected, DeterministicId.For(text));
        Assert.Equal(expected, DeterministicId.For(text));
        Assert.Equal(DeterministicId.For("_p"), DeterministicId.ForPatient("p"));
        Assert.Equal(DeterministicId.For("sys_d"), DeterministicId.ForDevice("d", "sys"));
    }
}
