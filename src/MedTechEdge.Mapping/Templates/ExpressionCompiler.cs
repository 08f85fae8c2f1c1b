using System.Text.Json;
using MedTechEdge.JmesPath;
using MedTechEdge.JsonPath;
using MedTechEdge.Mapping.Expressions;

namespace MedTechEdge.Mapping.Templates;

/// <summary>
/// Compiles template expressions at load: a plain string, or an expression object
/// <c>{"value": "...", "language": "JsonPath"|"JmesPath"}</c> (medtech-semantics §2.3). Syntax errors are
/// load errors with the template location and the position inside the expression.
/// </summary>
internal static class ExpressionCompiler
{
    public static ITemplateExpression? Compile(TemplateContext context, JsonElement obj, string pointer, string name, ExpressionLanguage defaultLanguage, bool required, bool allowObject = true)
    {
        if (!TemplateContext.TryGetMember(obj, name, out JsonElement node, out string actual))
        {
            if (required)
            {
                context.Error(pointer, $"Required property '{name}' not found.");
            }

            return null;
        }

        string here = pointer + "/" + actual;
        string? text;
        ExpressionLanguage language = defaultLanguage;
        if (node.ValueKind == JsonValueKind.String)
        {
            text = node.GetString();
        }
        else if (node.ValueKind == JsonValueKind.Object && allowObject)
        {
            context.RejectUnknownMembers(node, here, "TemplateExpression", "value", "language");
            text = context.RequiredString(node, here, "value");
            if (TemplateContext.TryGetMember(node, "language", out JsonElement lang, out string langName)
                && !TryParseLanguage(lang, out language))
            {
                context.Error(here + "/" + langName, $"Unknown expression language '{lang}'. Expected JsonPath or JmesPath.");
                return null;
            }
        }
        else if (node.ValueKind == JsonValueKind.Null && !required)
        {
            return null;
        }
        else
        {
            context.Error(here, allowObject
                ? $"Property '{name}' must be an expression string or an expression object."
                : $"Property '{name}' must be a JSONPath string.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                context.Error(here, $"An expression must be set for [{name}].");
            }

            return null;
        }

        return CompileText(context, here, text, language);
    }

    public static bool TryParseLanguage(JsonElement node, out ExpressionLanguage language)
    {
        language = ExpressionLanguage.JsonPath;
        return node.ValueKind == JsonValueKind.String && Enum.TryParse(node.GetString(), ignoreCase: true, out language) && Enum.IsDefined(language);
    }

    /// <summary>A fixed JSONPath of a template type (IotJsonPathContent's device id, for example), shared like any other.</summary>
    public static ITemplateExpression Fixed(TemplateContext context, string path)
        => CompileText(context, string.Empty, path, ExpressionLanguage.JsonPath)!;

    private static ITemplateExpression? CompileText(TemplateContext context, string pointer, string text, ExpressionLanguage language)
    {
        if (context.Expressions.TryGetValue((language, text), out ITemplateExpression? known))
        {
            return known;
        }

        ITemplateExpression? compiled = CompileNew(context, pointer, text, language);
        if (compiled is not null)
        {
            context.Expressions.Add((language, text), compiled);
        }

        return compiled;
    }

    private static ITemplateExpression? CompileNew(TemplateContext context, string pointer, string text, ExpressionLanguage language)
    {
        if (language == ExpressionLanguage.JmesPath)
        {
            try
            {
                return new JmesPathTemplateExpression(text);
            }
            catch (JmesPathException ex)
            {
                // Parsed at load, as the managed service does (medtech-semantics §2.3).
                context.Error(pointer, $"The following JmesPath expression could not be parsed: '{text}'. {ex.Message}");
                return null;
            }
        }

        try
        {
            return new JsonPathTemplateExpression(text);
        }
        catch (JsonPathException ex)
        {
            context.Error(pointer, $"The JsonPath expression '{text}' could not be parsed: {ex.Message}");
            return null;
        }
    }
}
