using System.Text.Json;

namespace MedTechEdge.JmesPath.Tests;

/// <summary>
/// Compares JSON values as the compliance suite asks: object member order does not matter, array order does,
/// numbers compare by value (1 equals 1.0).
/// </summary>
internal static class JsonAssert
{
    public static void Equal(JsonElement expected, JmesPathValue actual)
    {
        using JsonDocument actualDocument = JsonDocument.Parse(actual.ToJsonString());
        Assert.True(
            JsonEquals(expected, actualDocument.RootElement),
            $"Expected {expected.GetRawText()} but got {actual.ToJsonString()}");
    }

    public static void Equal(string expectedJson, JmesPathValue actual)
    {
        using JsonDocument expected = JsonDocument.Parse(expectedJson);
        Equal(expected.RootElement, actual);
    }

    private static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return a.GetDouble() == b.GetDouble();
            case JsonValueKind.String:
                return string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                return a.EnumerateArray().Zip(b.EnumerateArray()).All(pair => JsonEquals(pair.First, pair.Second));
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToList();
                var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                return left.Count == right.Count
                    && left.All(p => right.TryGetValue(p.Name, out JsonElement other) && JsonEquals(p.Value, other));
            default:
                return true;
        }
    }
}
