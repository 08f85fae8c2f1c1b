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

    public string? SelectMany(in TemplateRoot root, List<JsonElement> matches)
    {
        JsonPathFault? fault = root.Envelope is not null
            ? _path.Select(root.Envelope, null, default, matches)
            : _path.Select(root.Element, matches);
        return fault is null ? null : Failed(fault);
    }

    public string? SelectSingle(in TemplateRoot root, JsonElement? matchedToken, out ExpressionValue value)
    {
        if (_path.CanSelectOne)
        {
            // Nearly every value expression (`$.matchedToken.x`): direct lookups, no result list.
            string? extraName = matchedToken is null ? null : MappingNames.MatchedToken;
            bool found = root.Envelope is not null
                ? _path.TrySelectOne(root.Envelope, extraName, matchedToken.GetValueOrDefault(), out JsonElement one)
                : _path.TrySelectOne(root.Element, extraName, matchedToken.GetValueOrDefault(), out one);
            value = found ? ExpressionValue.Of(root.Resolve(one)) : ExpressionValue.Missing;
            return null;
        }

        List<JsonElement> scratch = t_scratch ??= new List<JsonElement>(4);
        scratch.Clear();
        JsonPathFault? fault;
        if (root.Envelope is not null)
        {
            fault = _path.Select(root.Envelope, matchedToken is null ? null : MappingNames.MatchedToken, matchedToken.GetValueOrDefault(), scratch);
        }
        else if (matchedToken is JsonElement matched)
        {
            fault = _path.Select(root.Element, MappingNames.MatchedToken, matched, scratch);
        }
        else
        {
            fault = _path.Select(root.Element, scratch);
        }

        if (fault is not null)
        {
            scratch.Clear();
            value = ExpressionValue.Missing;
            return Failed(fault);
        }

        int count = scratch.Count;
        value = count == 1 ? ExpressionValue.Of(root.Resolve(scratch[0])) : ExpressionValue.Missing;
        scratch.Clear();
        // Json.NET SelectToken: more than one match is the error "Path returned multiple tokens." (medtech-semantics §2.3).
        return count > 1 ? $"Unable to retrieve JsonToken(s) using expression {Text}: Path returned multiple tokens." : null;
    }

    /// <summary>
    /// Where Json.NET's SelectTokens throws during a filter, the managed service failed the message's normalization
    /// (docs/medtech-semantics.md §2.5): the same here, as an error naming the expression; the template name is added
    /// by the mapping, and the message becomes a NormalizationError dead letter.
    /// </summary>
    private string Failed(JsonPathFault fault) => $"Unable to evaluate expression {Text}: {fault.Message}";
}
