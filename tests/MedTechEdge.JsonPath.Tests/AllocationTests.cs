using System.Text.Json;

namespace MedTechEdge.JsonPath.Tests;

/// <summary>After warm-up, evaluating a compiled expression allocates nothing on the calling thread.</summary>
public sealed class AllocationTests
{
    private const string Envelope =
        """{"Body":[{"heartRate":78,"type":"hr","deviceId":"d1"},{"spo2":99,"type":"ox"}],"Properties":{},"SystemProperties":{"iothub-connection-device-id":"d1"}}""";

    [Theory]
    [InlineData("$.matchedToken.heartRate", JsonPathDialect.MedTech)]
    [InlineData("$..[?(@heartRate)]", JsonPathDialect.MedTech)]
    [InlineData("$..[?(@.type == 'hr' && @.heartRate > 70)]", JsonPathDialect.MedTech)]
    [InlineData("$.SystemProperties.iothub-connection-device-id", JsonPathDialect.MedTech)]
    [InlineData("$..[?@.type == 'hr' && @.heartRate > 70]", JsonPathDialect.Rfc9535)]
    [InlineData("$.Body[?count(@.*) > 2]", JsonPathDialect.Rfc9535)]
    public void Select_Does_Not_Allocate_Once_Warm(string path, JsonPathDialect dialect)
    {
        using JsonDocument envelope = JsonDocument.Parse(Envelope);
        JsonElement matched = envelope.RootElement.GetProperty("Body")[0];
        JsonPathExpression expression = JsonPathExpression.Parse(path, dialect);
        var output = new List<JsonElement>(16);
        for (int i = 0; i < 10; i++)
        {
            output.Clear();
            expression.Select(envelope.RootElement, "matchedToken", matched, output);
        }

        Assert.NotEmpty(output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            output.Clear();
            expression.Select(envelope.RootElement, "matchedToken", matched, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
