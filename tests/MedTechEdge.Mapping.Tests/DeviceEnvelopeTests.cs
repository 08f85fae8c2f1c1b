using System.Text;
using System.Text.Json;
using MedTechEdge.Mapping.Normalization;

namespace MedTechEdge.Mapping.Tests;

public sealed class DeviceEnvelopeTests
{
    [Fact]
    public void Envelope_Has_Body_Properties_And_SystemProperties()
    {
        using JsonDocument envelope = MappingFixtures.Envelope("""{"hr":72}""", """{"a":"1"}""", """{"iothub-connection-device-id":"d1"}""");

        JsonElement root = envelope.RootElement;
        Assert.Equal(72, root.GetProperty("Body").GetProperty("hr").GetInt32());
        Assert.Equal("1", root.GetProperty("Properties").GetProperty("a").GetString());
        Assert.Equal("d1", root.GetProperty("SystemProperties").GetProperty("iothub-connection-device-id").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n")]
    public void Empty_Body_Becomes_Null(string body)
    {
        using JsonDocument envelope = MappingFixtures.Envelope(body);
        Assert.Equal(JsonValueKind.Null, envelope.RootElement.GetProperty("Body").ValueKind);
    }

    [Theory]
    [InlineData("[1,2]", JsonValueKind.Array)]
    [InlineData("42", JsonValueKind.Number)]
    [InlineData("\"text\"", JsonValueKind.String)]
    public void Any_Json_Value_Is_A_Body(string body, JsonValueKind kind)
    {
        using JsonDocument envelope = MappingFixtures.Envelope(body);
        Assert.Equal(kind, envelope.RootElement.GetProperty("Body").ValueKind);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":1} trailing")]
    public void Non_Json_Body_Is_Rejected_With_A_Reason(string body)
    {
        bool ok = DeviceEnvelope.TryBuild(Encoding.UTF8.GetBytes(body), "{}", "{}", out JsonDocument? envelope, out string? error);

        Assert.False(ok);
        Assert.Null(envelope);
        Assert.StartsWith("Invalid event message. Cannot be parsed into a JSON object", error, StringComparison.Ordinal);
    }
}
