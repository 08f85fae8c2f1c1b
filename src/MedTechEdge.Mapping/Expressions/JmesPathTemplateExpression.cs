using System.Text.Json;
using MedTechEdge.JmesPath;

namespace MedTechEdge.Mapping.Expressions;

/// <summary>
/// A JMESPath template expression with the MedTech custom functions, with the select-many and
/// single-value semantics of the managed service's JmesPath evaluator (medtech-semantics §2.3).
/// </summary>
internal sealed class JmesPathTemplateExpression : ITemplateExpression
{
    private readonly JmesPathExpression _expression;

    /// <summary>Compiles; throws <see cref="JmesPathException"/> with the position on a syntax or arity error.</summary>
    public JmesPathTemplateExpression(string text)
    {
        _expression = JmesPathExpression.Parse(text, JmesPathFunctionSet.MedTech);
    }

    public string Text => _expression.Text;

    public string? SelectMany(in TemplateRoot root, List<JsonElement> matches)
    {
        // JMESPath runs on elements only, so an envelope root is composed first.
        if (!TryEvaluate(root.ToElement(), null, out JmesPathValue result, out string? error))
        {
            return error;
        }

        // A projection yields one match per element (an empty projection: none). Any other result is
        // one match, unless it is null; a plain array is one match, not many.
        if ((result.IsProjectionResult || _expression.IsProjection) && result.Kind == JmesPathValueKind.Array)
        {
            foreach (JmesPathValue item in result.EnumerateArray())
            {
                if (!item.IsNull)
                {
                    matches.Add(ToElement(item));
                }
            }
        }
        else if (!result.IsNull)
        {
            matches.Add(ToElement(result));
        }

        return null;
    }

    public string? SelectSingle(in TemplateRoot root, JsonElement? matchedToken, out ExpressionValue value)
    {
        value = ExpressionValue.Missing;
        if (!TryEvaluate(root.ToElement(), matchedToken, out JmesPathValue result, out string? error))
        {
            return error;
        }

        if ((result.IsProjectionResult || _expression.IsProjection) && result.Kind == JmesPathValueKind.Array)
        {
            int length = result.GetArrayLength();
            if (length > 1)
            {
                return $"Multiple tokens were returned using expression {Text}.";
            }

            if (length == 1)
            {
                foreach (JmesPathValue item in result.EnumerateArray())
                {
                    value = item.IsNull ? ExpressionValue.Missing : ExpressionValue.Of(item);
                }
            }

            return null;
        }

        // A null result counts as "not found".
        value = result.IsNull ? ExpressionValue.Missing : ExpressionValue.Of(result);
        return null;
    }

    private bool TryEvaluate(JsonElement root, JsonElement? matchedToken, out JmesPathValue result, out string? error)
    {
        try
        {
            result = matchedToken is JsonElement matched
                ? _expression.Evaluate(root, MappingNames.MatchedToken, matched)
                : _expression.Evaluate(root);
            error = null;
            return true;
        }
        catch (JmesPathException ex)
        {
            // Run-time type errors (e.g. multiply of a string) belong to this message only.
            result = default;
            error = $"Error evaluating JmesPath expression {Text}: {ex.Message}";
            return false;
        }
    }

    private static JsonElement ToElement(JmesPathValue value)
    {
        if (value.TryGetJsonElement(out JsonElement element))
        {
            return element;
        }

        // A computed match (e.g. from a multi-select hash) becomes a small document of its own, so the
        // template's other expressions, in either language, can see it as matchedToken.
        using JsonDocument document = JsonDocument.Parse(value.ToJsonString());
        return document.RootElement.Clone();
    }
}
