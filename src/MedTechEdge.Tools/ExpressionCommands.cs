using System.Text.Json;
using MedTechEdge.JmesPath;
using MedTechEdge.JsonPath;

namespace MedTechEdge.Tools;

/// <summary><c>jsonpath</c> and <c>jmespath</c>: evaluate one expression against a document on stdin.</summary>
internal static class ExpressionCommands
{
    public static async Task<int> JsonPathAsync(ToolArguments args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string expression = args.Positional(1, "a JSONPath expression");
        JsonPathDialect dialect = (args.Option("--dialect") ?? "medtech").ToLowerInvariant() switch
        {
            "medtech" => JsonPathDialect.MedTech,
            "rfc9535" => JsonPathDialect.Rfc9535,
            string other => throw new ToolUsageException($"unknown dialect '{other}'; use medtech or rfc9535."),
        };
        if (!JsonPathExpression.TryParse(expression, dialect, out JsonPathExpression? path, out JsonPathException? error))
        {
            return ToolCommands.Fail(stderr, error!.Message);
        }

        using JsonDocument? document = await ReadDocumentAsync(stdin, stderr).ConfigureAwait(false);
        if (document is null)
        {
            return 1;
        }

        var nodes = new List<JsonElement>();
        if (path!.Select(document.RootElement, nodes) is { } fault)
        {
            // Where Json.NET throws, a mapping fails the message; the tool says so rather than print a partial list.
            return ToolCommands.Fail(stderr, fault.Message);
        }

        // RFC 9535 §2.1: the result is a node list; it prints as a JSON array.
        ToolJson.Print(stdout, writer =>
        {
            writer.WriteStartArray();
            foreach (JsonElement node in nodes)
            {
                node.WriteTo(writer);
            }

            writer.WriteEndArray();
        });
        return 0;
    }

    public static async Task<int> JmesPathAsync(ToolArguments args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        string text = args.Positional(1, "a JMESPath expression");
        JmesPathExpression expression;
        try
        {
            expression = JmesPathExpression.Parse(text, JmesPathFunctionSet.MedTech);
        }
        catch (JmesPathException ex)
        {
            return ToolCommands.Fail(stderr, ex.Message);
        }

        using JsonDocument? document = await ReadDocumentAsync(stdin, stderr).ConfigureAwait(false);
        if (document is null)
        {
            return 1;
        }

        JmesPathValue result;
        try
        {
            result = expression.Evaluate(document.RootElement);
        }
        catch (JmesPathException ex)
        {
            return ToolCommands.Fail(stderr, ex.Message);
        }

        ToolJson.Print(stdout, result.WriteTo);
        return 0;
    }

    private static async Task<JsonDocument?> ReadDocumentAsync(TextReader stdin, TextWriter stderr)
    {
        string input = await stdin.ReadToEndAsync().ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(input);
        }
        catch (JsonException ex)
        {
            ToolCommands.Fail(stderr, "stdin is not a JSON document: " + ex.Message);
            return null;
        }
    }
}
