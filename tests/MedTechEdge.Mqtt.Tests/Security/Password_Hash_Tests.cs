using System.Text;
using MedTechEdge.Mqtt.Security;

namespace MedTechEdge.Mqtt.Tests.Security;

/// <summary>The <c>$pbkdf2-sha256$iterations$salt$hash</c> format of the credentials file.</summary>
public sealed class Password_Hash_Tests
{
    private const int Iterations = 1_000;

    [Fact]
    public void Hash_Round_Trips_And_Verifies_The_Right_Password()
    {
        string hash = MqttPasswordHash.Create("s3cret-pässword", Iterations);

        Assert.StartsWith("$pbkdf2-sha256$1000$", hash, StringComparison.Ordinal);
        Assert.True(MqttPasswordHash.Verify("s3cret-pässword", hash));
        Assert.True(MqttPasswordHash.TryParse(hash, out MqttPasswordHashValue value, out string? error), error);
        Assert.Equal(Iterations, value.Iterations);
        Assert.Equal(MqttPasswordHash.SaltSize, value.Salt.Length);
        Assert.Equal(MqttPasswordHash.HashSize, value.Hash.Length);
        Assert.Equal(hash, MqttPasswordHash.Format(value.Iterations, value.Salt, value.Hash));
    }

    [Fact]
    public void Hash_Never_Contains_The_Password_And_Is_Salted_Per_Call()
    {
        string first = MqttPasswordHash.Create("plain-text-password", Iterations);
        string second = MqttPasswordHash.Create("plain-text-password", Iterations);

        Assert.DoesNotContain("plain-text-password", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.True(MqttPasswordHash.Verify("plain-text-password", second));
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("")]
    [InlineData("s3cret ")]
    [InlineData("S3cret")]
    public void Wrong_Password_Does_Not_Verify(string candidate)
    {
        string hash = MqttPasswordHash.Create("s3cret", Iterations);

        Assert.False(MqttPasswordHash.Verify(candidate, hash));
    }

    [Fact]
    public void Tampered_Salt_Does_Not_Verify()
    {
        string hash = MqttPasswordHash.Create("s3cret", Iterations);
        Assert.True(MqttPasswordHash.TryParse(hash, out MqttPasswordHashValue value, out _));
        byte[] salt = (byte[])value.Salt.Clone();
        salt[0] ^= 0x01;

        Assert.False(MqttPasswordHash.Verify("s3cret", MqttPasswordHash.Format(value.Iterations, salt, value.Hash)));
    }

    [Fact]
    public void Tampered_Hash_Or_Iteration_Count_Does_Not_Verify()
    {
        string hash = MqttPasswordHash.Create("s3cret", Iterations);
        Assert.True(MqttPasswordHash.TryParse(hash, out MqttPasswordHashValue value, out _));
        byte[] derived = (byte[])value.Hash.Clone();
        derived[^1] ^= 0x80;

        Assert.False(MqttPasswordHash.Verify("s3cret", MqttPasswordHash.Format(value.Iterations, value.Salt, derived)));
        Assert.False(MqttPasswordHash.Verify("s3cret", MqttPasswordHash.Format(value.Iterations + 1, value.Salt, value.Hash)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s3cret")]
    [InlineData("$pbkdf2-sha1$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$pbkdf2-sha256$1000$not base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("$pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("$pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=$extra")]
    public void Malformed_Hash_Is_Rejected_Not_Thrown(string encoded)
    {
        Assert.False(MqttPasswordHash.TryParse(encoded, out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.False(MqttPasswordHash.Verify("s3cret", encoded));
    }

    [Fact]
    public void Iteration_Count_Outside_Bounds_Is_Refused_At_Creation()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MqttPasswordHash.Create("x", 999));
        Assert.Throws<ArgumentOutOfRangeException>(() => MqttPasswordHash.Create("x", 5_000_001));
    }

    [Fact]
    public void Default_Iteration_Count_Is_Used_When_None_Is_Given()
    {
        string hash = MqttPasswordHash.Create("s3cret");

        Assert.StartsWith("$pbkdf2-sha256$100000$", hash, StringComparison.Ordinal);
        Assert.True(MqttPasswordHash.Verify("s3cret", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("dev:1")]
    [InlineData("dev 1")]
    [InlineData("dev\n1")]
    public void Credentials_Line_Refuses_Usernames_The_File_Cannot_Hold(string username)
    {
        Assert.Throws<ArgumentException>(() => MqttPasswordHash.CreateLine(username, "x", Iterations));
    }

    [Fact]
    public void Credentials_Line_Is_Username_Colon_Hash()
    {
        string line = MqttPasswordHash.CreateLine("dev-1", "s3cret", Iterations);

        Assert.StartsWith("dev-1:$pbkdf2-sha256$1000$", line, StringComparison.Ordinal);
        Assert.True(MqttPasswordHash.Verify("s3cret", line["dev-1:".Length..]));
    }

    [Fact]
    public void Hash_Is_Over_The_Utf8_Bytes_Of_The_Password()
    {
        string hash = MqttPasswordHash.Create("pässword", Iterations);
        Assert.True(MqttPasswordHash.TryParse(hash, out MqttPasswordHashValue value, out _));

        Assert.True(value.Matches(Encoding.UTF8.GetBytes("pässword")));
        Assert.False(value.Matches(Encoding.Latin1.GetBytes("pässword")));
    }
}
