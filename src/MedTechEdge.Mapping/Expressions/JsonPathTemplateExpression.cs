using System.Text.Json;
using MedTechEdge.JsonPath;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>A JSONPath template expression in the MedTech (Json.NET) dialect.</summary>
internal sealed class JsonPathTemplateExpression : ITemplateExpression
{
    // Single-value evaluation needs a scratch list; one per thread keeps the hot path allocation-free
    // and evaluation thread-safe without locks.
    [ThreadStatic]
    private static List<JsonElement>? t_scratch;

    private readonly JsonPathExpression _path;

    /// <summary>Compiles; throws <see cref="JsonPathException"/> with the position on a syntax error.</summary>
    public JsonPathTemplateExpression(string text)
    {
        _path = JsonPathExpression.Parse(text, JsonPathDialect.MedTech);
    }

    public string Text => _path.Text;

    public void SelectMany(JsonElement root, List<JsonElement> matches) => _path.Select(root, matches);

    public bool TrySelectSingle(JsonElement root, JsonElement? matchedToken, out ExpressionValue value)
    {
        List<JsonElement> scratch = t_scratch ??= new List<JsonElement>(4);
        scratch.Clear();
        if (matchedToken is JsonElement matched)
        {
            _path.Select(root, MappingNames.MatchedToken, matched, scratch);
        }
        else
        {
            _path.Select(root, scratch);
        }

        // Json.NET SelectToken: more than one match is the error "Path returned multiple tokens." (medtech-compat §3.3).
        if (scratch.Count > 1)
        {
            value = ExpressionValue.Missing;
            scratch.Clear();
            return false;
        }

        value = scratch.Count == 1 ? ExpressionValue.Of(scratch[0]) : ExpressionValue.Missing;
        scratch.Clear();
        return true;
    }
}
