using Newtonsoft.Json.Linq;

namespace MedTechEdge.Benchmarks.Reference;

/// <summary>
/// Reads ids, values and timestamps from Json.NET tokens the way the connector does: <c>SelectToken</c>
/// with the path text (Json.NET parses it on every call), then <c>Value&lt;string&gt;()</c> or
/// <c>Value&lt;DateTime&gt;()</c> (medtech-semantics §2.6-§2.7).
/// </summary>
internal static class ReferenceTokens
{
    /// <summary>Null when nothing matched, the value is null, or it is an object or array.</summary>
    public static string? Text(JToken scope, string expression)
    {
        JToken? token = scope.SelectToken(expression, errorWhenNoMatch: false);
        if (token is not JValue value || value.Type == JTokenType.Null)
        {
            return null;
        }

        return value.Value<string>();
    }

    public static string RequiredText(JToken scope, string expression, string name)
    {
        string? text = Text(scope, expression);
        return string.IsNullOrWhiteSpace(text)
            ? throw new InvalidOperationException($"Unable to extract required value for [{name}] using {expression}")
            : text;
    }

    /// <summary>The first expression that yields a time wins (IotJsonPathContent's creation-time fallback).</summary>
    public static DateTime RequiredTime(JToken scope, string[] expressions)
    {
        foreach (string expression in expressions)
        {
            JToken? token = scope.SelectToken(expression, errorWhenNoMatch: false);
            if (token is JValue value && value.Type != JTokenType.Null)
            {
                return value.Value<DateTime>().ToUniversalTime();
            }
        }

        throw new InvalidOperationException("Unable to extract required value for [TimestampExpression]");
    }
}
